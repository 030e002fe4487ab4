// Lists the files inside a .vsix (a zip) and checks them against what the extension needs at
// run time on linux-x64: every required file present, nothing for other platforms, no
// sources. Reads the zip's central directory itself, so it needs neither unzip nor a package.
// Usage: node scripts/vsix-files.mjs FILE.vsix [--list]
import { readFileSync, statSync } from 'node:fs';

const file = process.argv[2];
if (!file) {
  console.error('usage: node scripts/vsix-files.mjs FILE.vsix [--list]');
  process.exit(2);
}
const buf = readFileSync(file);

/** Names in the zip's central directory (the end record is in the last 64 KiB + 22 bytes). */
function zipNames(b) {
  let eocd = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 65_557); i--) {
    if (b.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${file}: not a zip file (no end of central directory)`);
  const count = b.readUInt16LE(eocd + 10);
  let p = b.readUInt32LE(eocd + 16);
  const names = [];
  for (let n = 0; n < count; n++) {
    if (b.readUInt32LE(p) !== 0x02014b50) throw new Error(`${file}: broken central directory at ${p}`);
    const nameLen = b.readUInt16LE(p + 28);
    const extraLen = b.readUInt16LE(p + 30);
    const commentLen = b.readUInt16LE(p + 32);
    names.push(b.toString('utf8', p + 46, p + 46 + nameLen));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

const names = zipNames(buf);
if (process.argv.includes('--list')) for (const n of names) console.log(n);

const required = [
  'extension/package.json',
  'extension/dist/extension.js',
  'extension/dist/toxnode.js',
  'extension/dist/sodium.js',
  'extension/dist/uqr.js',
  'extension/dist/kdfWorker.js',
  'extension/dist/opentype.js',
  'extension/dist/gifenc.js',
  'extension/dist/imagecheck.js',
  'extension/dist/webview/webview.js',
  'extension/dist/webview/style.css',
  'extension/media/toxync.svg',
  'extension/data/nodes.json',
  'extension/native-prebuilds/linux-x64/libtoxcore.so.2',
  'extension/native-prebuilds/linux-x64/libsodium.so.23',
  'extension/native-prebuilds/linux-x64/manifest.json',
  'extension/node_modules/koffi/index.cjs',
  'extension/node_modules/koffi/src/koffi/index.cjs',
  'extension/node_modules/koffi/src/koffi/src/static.cjs',
  'extension/node_modules/@koromix/koffi-linux-x64/index.js',
  'extension/node_modules/@koromix/koffi-linux-x64/linux_x64/koffi.node',
];
// Other platforms' addons, C/C++ sources, TypeScript sources, tests and source maps stay out, and so
// do A/V codecs (toxync has no audio/video; our libtoxcore is built without toxav).
const forbidden = [/\/musl_/, /\/lib(vpx|opus)\./, /koffi-(?!linux-x64\/)/, /\.(cc|hh|inc|S|asm|ts|map)$/, /^extension\/(src|test|out|scripts|bench)\//];
const problems = [
  ...required.filter((r) => !names.includes(r)).map((r) => `missing ${r}`),
  ...names.filter((n) => forbidden.some((f) => f.test(n))).map((n) => `should not ship ${n}`),
];
const size = statSync(file).size;
console.log(`${file}: ${(size / 1024 / 1024).toFixed(2)} MiB (${size} bytes), ${names.length} files`);
if (problems.length) {
  for (const p of problems) console.error(`vsix check: ${p}`);
  process.exit(1);
}
