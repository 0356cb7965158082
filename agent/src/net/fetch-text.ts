import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { LookupFunction } from 'node:net'
import { ClavisError } from '@clavis/errors'

/** Limits of one outbound GET. */
export interface FetchTextOptions {
  /** Aborts the request (a per-request deadline). */
  signal?: AbortSignal | undefined
  /** The longest the request may take on its own. */
  timeoutMs: number
  /** The most bytes read from the body. */
  maxBytes: number
  /** The `Accept` header. */
  accept: string
  /** How host names are resolved (the address policy). */
  lookup?: LookupFunction | undefined
}

/** An outbound GET failed: the detail is for the log, not for callers' users. */
export class FetchTextError extends ClavisError<'fetch_failed'> {
  override readonly name = 'FetchTextError'

  constructor(message: string, options: { cause?: unknown } = {}) {
    super({ code: 'fetch_failed', message, cause: options.cause })
  }
}

/**
 * GETs `url` as text without following redirects, within `timeoutMs` and `signal`, reading at most
 * `maxBytes` (declared or streamed). Throws {@link FetchTextError} (or the lookup's error).
 *
 * @example
 * const jwt = await fetchText(new URL(url), { timeoutMs: 5000, maxBytes: 2 ** 21, accept: 'application/statuslist+jwt', lookup: publicOnlyLookup })
 */
export function fetchText(url: URL, options: FetchTextOptions): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    if (options.signal?.aborted) return reject(new FetchTextError('aborted before it started'))
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, {
      method: 'GET',
      headers: { accept: options.accept },
      ...(options.lookup ? { lookup: options.lookup } : {}),
    })
    const onAbort = () => request.destroy(new FetchTextError('aborted (request deadline)'))
    options.signal?.addEventListener('abort', onAbort, { once: true })
    const timer = setTimeout(
      () => request.destroy(new FetchTextError(`no answer within ${options.timeoutMs} ms`)),
      options.timeoutMs,
    )
    let settled = false
    const done = (error: Error | undefined, text?: string) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      options.signal?.removeEventListener('abort', onAbort)
      if (error) reject(error)
      else resolve(text!)
    }
    request.on('error', (e) => done(e))
    request.on('response', (res: IncomingMessage) => {
      const status = res.statusCode ?? 0
      if (status < 200 || status > 299) {
        request.destroy()
        return done(new FetchTextError(`HTTP ${status}`))
      }
      if (Number(res.headers['content-length'] ?? '0') > options.maxBytes) {
        request.destroy()
        return done(new FetchTextError('the body is too large'))
      }
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size > options.maxBytes) {
          request.destroy()
          return done(new FetchTextError('the body is too large'))
        }
        chunks.push(chunk)
      })
      res.on('error', (e) => done(e))
      res.on('close', () => {
        if (!res.complete) done(new FetchTextError('the connection closed before the body was complete'))
      })
      res.on('end', () => done(undefined, Buffer.concat(chunks).toString('utf8')))
    })
    request.end()
  })
}
