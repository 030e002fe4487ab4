// Lists the files inside a .vsix (a zip) and checks them against what the extension needs at
// run time on its target: every required file present, nothing for other platforms (another
// target's libtoxcore or koffi addon, musl addons), no sources, and the manifest's TargetPlatform
// equal to the target. Reads the zip itself (central directory + stored/deflated entries with
// node:zlib), so it needs neither unzip nor a package.
// Usage: node scripts/vsix-files.mjs FILE.vsix [--target linux-x64|linux-arm64|win32-x64] [--list]
import { readFileSync, statSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

const file = process.argv[2];
if (!file) {
  console.error('usage: node scripts/vsix-files.mjs FILE.vsix [--target T] [--list]');
  process.exit(2);
}
const ti = process.argv.indexOf('--target');
const target = ti > 0 ? process.argv[ti + 1] : 'linux-x64';
/** What each target ships from native-prebuilds/<target>/ and koffi's per-target package. */
const NATIVE = {
  'linux-x64': { libs: ['libtoxcore.so.2', 'libsodium.so.23'], addon: 'linux_x64' },
  'linux-arm64': { libs: ['libtoxcore.so.2', 'libsodium.so.23'], addon: 'linux_arm64' },
  'win32-x64': { libs: ['libtoxcore-2.dll'], addon: 'win32_x64' },
};
const native = NATIVE[target];
if (!native) {
  console.error(`vsix check: unknown target ${target} (${Object.keys(NATIVE).join(', ')})`);
  process.exit(2);
}
const buf = readFileSync(file);

/** Names in the zip's central directory (the end record is in the last 64 KiB + 22 bytes). */
/** @type {Map<string, {method: number, size: number, local: number}>} */
const entries = new Map();

/** One entry's bytes (stored or deflated), from its local header. */
function zipRead(b, name) {
  const e = entries.get(name);
  if (!e) return null;
  const start = e.local + 30 + b.readUInt16LE(e.local + 26) + b.readUInt16LE(e.local + 28);
  const raw = b.subarray(start, start + e.size);
  return e.method === 8 ? inflateRawSync(raw) : raw;
}

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
    entries.set(names[names.length - 1], { method: b.readUInt16LE(p + 10), size: b.readUInt32LE(p + 20), local: b.readUInt32LE(p + 42) });
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
  'extension/dist/webp_dec.wasm',
  'extension/media/licenses/webp_dec-LICENSE.txt',
  'extension/dist/webview/webview.js',
  'extension/dist/webview/style.css',
  'extension/dist/webview/codicon.ttf',
  'extension/media/toxync.svg',
  'extension/data/nodes.json',
  ...native.libs.map((l) => `extension/native-prebuilds/${target}/${l}`),
  `extension/native-prebuilds/${target}/manifest.json`,
  'extension/node_modules/koffi/index.cjs',
  'extension/node_modules/koffi/src/koffi/index.cjs',
  'extension/node_modules/koffi/src/koffi/src/static.cjs',
  `extension/node_modules/@koromix/koffi-${target}/index.js`,
  `extension/node_modules/@koromix/koffi-${target}/${native.addon}/koffi.node`,
];
// Other platforms' addons, C/C++ sources, TypeScript sources, tests and source maps stay out, and so
// do A/V codecs (toxync has no audio/video; our libtoxcore is built without toxav).
const forbidden = [
  /\/musl_/,
  /\/lib(vpx|opus)\./,
  new RegExp(`koffi-(?!${target}/)`),
  new RegExp(`native-prebuilds/(?!${target}/)`),
  /\.(cc|hh|inc|S|asm|ts|map|lib|pdb)$/,
  /^extension\/(src|test|out|scripts|bench)\//,
];
// The Marketplace and VS Code pick a package by this attribute, not by its file name.
const vsixManifest = zipRead(buf, 'extension.vsixmanifest')?.toString('utf8') ?? '';
const platform = /TargetPlatform="([^"]*)"/.exec(vsixManifest)?.[1];
const problems = [
  ...(platform === target ? [] : [`extension.vsixmanifest TargetPlatform is ${platform ?? 'missing'}, want ${target}`]),
  ...required.filter((r) => !names.includes(r)).map((r) => `missing ${r}`),
  ...names.filter((n) => forbidden.some((f) => f.test(n))).map((n) => `should not ship ${n}`),
];
const size = statSync(file).size;
console.log(`${file}: ${(size / 1024 / 1024).toFixed(2)} MiB (${size} bytes), ${names.length} files`);
if (problems.length) {
  for (const p of problems) console.error(`vsix check: ${p}`);
  process.exit(1);
}
