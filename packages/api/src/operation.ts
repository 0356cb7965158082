import type { z } from 'zod'

/** The HTTP methods the API uses. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE'

/**
 * Who may call an operation: anyone; the staff of the organisation the path names (`{id}`), with
 * its staff token; the operator, with the admin token.
 */
export type AuthKind = 'public' | 'staff' | 'admin'

/** A JSON body, described by a zod schema. */
export interface JsonBody<S extends z.ZodType = z.ZodType> {
  readonly kind: 'json'
  readonly schema: S
}

/** A body that is text of one of these media types (a compact JWT), not JSON. */
export interface TextBody<M extends string = string> {
  readonly kind: 'text'
  readonly mediaTypes: readonly [M, ...M[]]
  readonly schema: z.ZodString
}

/** What a request or an answer carries. */
export type Body = JsonBody | TextBody

/**
 * One operation of the API: the single description the OpenAPI document, the typed client and the
 * contract test are made from.
 */
export interface Operation {
  readonly method: HttpMethod
  /** The path template; `{name}` is a path parameter (sent percent-encoded). */
  readonly path: `/v1/${string}`
  readonly auth: AuthKind
  readonly summary: string
  /** Query parameters, each optional unless its schema says otherwise. */
  readonly query?: z.ZodObject
  /** Header parameters, by header name. */
  readonly headers?: z.ZodObject
  readonly body?: Body
  /** The body of each success (2xx) status. */
  readonly responses: { readonly [status: number]: Body }
  /** Other answers that are not the error body, by status (health's 503 when the chain is down). */
  readonly otherAnswers?: { readonly [status: number]: { readonly description: string; readonly body: Body } }
  /**
   * A page of any origin may read the answer (CORS `Access-Control-Allow-Origin: *`, no
   * credentials; preflight answered): only for public, read-only GETs that wallets and other
   * verifiers fetch from a browser — status lists, DID resolution, metadata (docs/decisions/0023).
   */
  readonly crossOrigin?: true
}

/**
 * A JSON body.
 *
 * @example
 * json(createOrganisationRequest)
 */
export function json<S extends z.ZodType>(schema: S): JsonBody<S> {
  return { kind: 'json', schema }
}

/**
 * A text body of the given media types (the first is the one sent by default).
 *
 * @example
 * text(['application/statuslist+jwt'], compactJwtSchema)
 */
export function text<const M extends string>(
  mediaTypes: readonly [M, ...M[]],
  schema: z.ZodString,
): TextBody<M> {
  return { kind: 'text', mediaTypes, schema }
}

/** The names of the path parameters of a path template: `'id' | 'kid'`. */
export type PathParamName<P extends string> = P extends `${string}{${infer N}}${infer Rest}`
  ? N | PathParamName<Rest>
  : never

type BodyOutput<B> = B extends JsonBody<infer S> ? z.output<S> : B extends TextBody ? string : never

type ParamsPart<O extends Operation> = [PathParamName<O['path']>] extends [never]
  ? unknown
  : { params: { [K in PathParamName<O['path']>]: string } }

type BodyPart<O extends Operation> = O extends { body: JsonBody<infer S> }
  ? { body: z.input<S> }
  : O extends { body: TextBody<infer M> }
    ? { body: string; contentType?: M }
    : unknown
type QueryPart<O extends Operation> = O extends { query: infer Q extends z.ZodObject }
  ? { query?: z.input<Q> }
  : unknown
type HeadersPart<O extends Operation> = O extends { headers: infer H extends z.ZodObject }
  ? { headers?: z.input<H> }
  : unknown

/** What a call of operation `O` takes: path parameters, query, headers and body, as it needs them. */
export type OperationInput<O extends Operation> = ParamsPart<O> & BodyPart<O> & QueryPart<O> & HeadersPart<O>

/** What a call of operation `O` answers on success: its response body. */
export type OperationOutput<O extends Operation> = BodyOutput<O['responses'][keyof O['responses']]>
