/**
 * A video for Chromium's fake camera (`--use-file-for-fake-video-capture`) that shows a QR code:
 * Y4M, 640×480, 4:2:0, black modules on white, a few identical frames (Chromium loops it).
 */
import { writeFile } from 'node:fs/promises'
import { encode } from 'uqr'

const W = 640
const H = 480

export async function writeQrVideo(text: string, path: string): Promise<void> {
  const qr = encode(text, { ecc: 'M', border: 4 })
  const scale = Math.max(1, Math.floor(Math.min(W, H) / qr.size))
  const side = qr.size * scale
  const left = Math.floor((W - side) / 2)
  const top = Math.floor((H - side) / 2)
  const y = Buffer.alloc(W * H, 255)
  for (let row = 0; row < qr.size; row++)
    for (let col = 0; col < qr.size; col++)
      if (qr.data[row]![col])
        for (let dy = 0; dy < scale; dy++)
          y.fill(
            0,
            (top + row * scale + dy) * W + left + col * scale,
            (top + row * scale + dy) * W + left + (col + 1) * scale,
          )
  const chroma = Buffer.alloc((W / 2) * (H / 2), 128)
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, chroma, chroma])
  const header = Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`)
  await writeFile(path, Buffer.concat([header, frame, frame, frame, frame, frame]))
}
