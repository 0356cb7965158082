import { z } from 'zod'

const objectSchema = z.record(z.string(), z.unknown())

/** `GET /v1/openapi.json`: an OpenAPI 3.1 document (the parts a client relies on). */
export const openApiDocumentResponse = z.object({
  openapi: z.literal('3.1.0'),
  info: z.object({ title: z.string(), version: z.string() }),
  servers: z.array(z.object({ url: z.string() })),
  components: z.object({ schemas: z.record(z.string(), objectSchema), securitySchemes: objectSchema }),
  paths: z.record(z.string(), z.record(z.string(), objectSchema)),
})
export type OpenApiDocument = z.infer<typeof openApiDocumentResponse>
