/**
 * Reads a QR code from a video frame or an image: the browser's BarcodeDetector where it has one,
 * else jsQR (loaded only when a scan starts, so pages that never scan do not carry it).
 */
type Detector = { detect(source: CanvasImageSource): Promise<{ rawValue: string }[]> }

let detector: Promise<Detector | undefined> | undefined

async function nativeDetector(): Promise<Detector | undefined> {
  const Native = (globalThis as { BarcodeDetector?: new (o: { formats: string[] }) => Detector & object })
    .BarcodeDetector as (new (o: {
    formats: string[]
  }) => Detector) & { getSupportedFormats?: () => Promise<string[]> }
  if (!Native) return undefined
  try {
    const formats = (await Native.getSupportedFormats?.()) ?? []
    return formats.includes('qr_code') ? new Native({ formats: ['qr_code'] }) : undefined
  } catch {
    return undefined
  }
}

/** The text of the QR code in the picture, or undefined when there is none (yet). */
export async function decodeQr(
  source: HTMLVideoElement | ImageBitmap,
  canvas: HTMLCanvasElement,
): Promise<string | undefined> {
  detector ??= nativeDetector()
  const native = await detector
  if (native) {
    const found = await native.detect(source).catch(() => [])
    if (found[0]) return found[0].rawValue
  }
  const width = source instanceof HTMLVideoElement ? source.videoWidth : source.width
  const height = source instanceof HTMLVideoElement ? source.videoHeight : source.height
  if (!width || !height) return undefined
  canvas.width = width
  canvas.height = height
  const context = canvas.getContext('2d', { willReadFrequently: true })
  if (!context) return undefined
  context.drawImage(source, 0, 0, width, height)
  const { data } = context.getImageData(0, 0, width, height)
  const { default: jsQR } = await import('jsqr')
  return jsQR(data, width, height, { inversionAttempts: 'attemptBoth' })?.data ?? undefined
}
