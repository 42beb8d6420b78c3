// Writes the tray icons (build/tray/tray-<state>.png, 16 px and @2x) and the app icon
// (build/icon.png, 512 px): a filled disc in the state's colour with a lighter ring, as PNGs made
// with node:zlib alone. Run `node build/make-icons.mjs` after changing a colour; the PNGs are
// committed so packaging needs no step.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const COLOURS = {
  ok: [27, 110, 58],
  alert: [194, 65, 12],
  error: [164, 22, 26],
  paused: [110, 110, 120],
};

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** An RGBA PNG of `size` px: a disc of `rgb`, anti-aliased by 4x4 supersampling. */
function disc(size, [r, g, b]) {
  const rows = [];
  const radius = size / 2 - 0.5;
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) {
      let inside = 0;
      let ring = 0;
      for (let sy = 0; sy < 4; sy++) {
        for (let sx = 0; sx < 4; sx++) {
          const d = Math.hypot(x + (sx + 0.5) / 4 - size / 2, y + (sy + 0.5) / 4 - size / 2);
          if (d <= radius) inside++;
          if (d <= radius && d > radius * 0.7) ring++;
        }
      }
      const light = ring / 16;
      row.set(
        [
          Math.round(r + (255 - r) * light * 0.35),
          Math.round(g + (255 - g) * light * 0.35),
          Math.round(b + (255 - b) * light * 0.35),
          Math.round((inside / 16) * 255),
        ],
        1 + x * 4,
      );
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const dir = new URL('.', import.meta.url);
for (const [state, rgb] of Object.entries(COLOURS)) {
  writeFileSync(new URL(`tray/tray-${state}.png`, dir), disc(16, rgb));
  writeFileSync(new URL(`tray/tray-${state}@2x.png`, dir), disc(32, rgb));
}
writeFileSync(new URL('icon.png', dir), disc(512, COLOURS.ok));
