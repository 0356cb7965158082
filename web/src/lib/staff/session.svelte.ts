/**
 * Staff sign-in for the board console and the hospital desk: the organisation's staff token, kept
 * in this tab's session storage only (gone when the tab closes; never in a cookie, never sent to
 * the web server except passed through to the agent in `Authorization`).
 */
import type { ApiClient } from '@clavis/api/client'
import { staffApi } from '$lib/agent/browser'

const KEY = 'clavis-staff-token'

export interface StaffOrganisation {
  id: string
  name: string
  kind: 'board' | 'hospital'
  did: string
}

class StaffSession {
  organisation = $state<StaffOrganisation | undefined>(undefined)
  #token: string | undefined

  /** Signs in again with the tab's stored token, if any; false when there is none or it no longer works. */
  async resume(): Promise<boolean> {
    const token = sessionStorage.getItem(KEY)
    if (!token) return false
    try {
      await this.signIn(token)
      return true
    } catch {
      this.signOut()
      return false
    }
  }

  async signIn(token: string): Promise<StaffOrganisation> {
    const trimmed = token.trim()
    if (!/^[\x21-\x7e]{16,512}$/.test(trimmed))
      throw new Error('That is not a staff token. Paste the whole token your operator gave you.')
    const me = await staffApi(trimmed).whoAmI()
    if (me.role !== 'staff')
      throw new Error(
        'That is the operator’s token. Sign in with an organisation’s staff token (./clavis org token <id> makes one).',
      )
    this.#token = trimmed
    sessionStorage.setItem(KEY, trimmed)
    this.organisation = me.organisation as StaffOrganisation
    return this.organisation
  }

  signOut(): void {
    this.#token = undefined
    sessionStorage.removeItem(KEY)
    this.organisation = undefined
  }

  api(): ApiClient {
    if (!this.#token) throw new Error('Signed out: sign in again with your staff token.')
    return staffApi(this.#token)
  }
}

export const staff = new StaffSession()
