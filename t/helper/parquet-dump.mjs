// parquet-dump.mjs: print a Parquet file as JSON lines, read with an
// independent reader (hyparquet), for the tests of our Parquet writer.
//
//	node t/helper/parquet-dump.mjs [--schema|--meta|--rows|--check-stats] FILE
//
// With no option it prints three kinds of lines: {"schema":[...]} (the
// footer's schema elements), {"meta":{...}} (row count, created_by, row
// groups with their column chunks and statistics), then one line per row
// with the row as a JSON object.  --schema, --meta and --rows print only
// that part.  --check-stats recomputes, per row group, null_count, min
// and max of every top-level primitive column from the decoded data,
// compares them with the footer statistics, prints any mismatch and
// exits 1 if there is one.
//
//	node t/helper/parquet-dump.mjs --delta DIR
//
// replays the _delta_log of the Delta table in DIR and checks every live
// file against its add action: the path is URI-encoded and under the
// Spark-escaped partition directories, the size, numRecords, minValues,
// maxValues and nullCount match the data.  It prints mismatches and
// exits 1, or prints "DIR: version V, F live files, R live rows".
//
// Values are printed in one canonical form, which src/mktable
// --types-test reproduces: integers as JSON integers (64-bit ones exact),
// other numbers rounded to 15 significant digits (decimals come out of
// hyparquet as floats), dates as "YYYY-MM-DD", timestamps as ISO-8601 UTC
// with 3 (millis) or 6 (micros) decimals, binary without a string
// annotation as "0x" and lowercase hex, maps as objects.
//
// hyparquet comes from t/node/node_modules (npm ci --prefix t/node), or
// from $DS_NODE_MODULES;
// GZIP uses node's zlib and ZSTD the fzstd package, since hyparquet
// alone reads only UNCOMPRESSED and SNAPPY.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { gunzipSync } from 'node:zlib'

const here = path.dirname(fileURLToPath(import.meta.url))
const modules = process.env.DS_NODE_MODULES ||
  path.join(here, '..', 'node', 'node_modules')
const load = p => import(pathToFileURL(path.join(modules, p)).href)
const { parquetMetadata, parquetReadObjects } =
  await load('hyparquet/src/index.js')
const { decompress: zstdDecompress } = await load('fzstd/esm/index.mjs')

const compressors = {
  GZIP: input => new Uint8Array(gunzipSync(input)),
  ZSTD: input => zstdDecompress(input),
}

const pad = (n, w) => String(n).padStart(w, '0')

function isoDate(days) {
  const d = new Date(Number(days) * 86400000)
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-` +
    pad(d.getUTCDate(), 2)
}

// An instant in units per second (1000 or 1000000) as ISO-8601 UTC.
function isoTime(v, perSecond, digits) {
  v = BigInt(v)
  const per = BigInt(perSecond)
  let secs = v / per
  let frac = v % per
  if (frac < 0n) {
    frac += per
    secs -= 1n
  }
  const d = new Date(Number(secs) * 1000)
  return `${isoDate(Math.floor(Number(secs) / 86400))}T` +
    `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:` +
    `${pad(d.getUTCSeconds(), 2)}.${pad(frac, digits)}Z`
}

const parsers = {
  timestampFromMilliseconds: v => isoTime(v, 1000, 3),
  timestampFromMicroseconds: v => isoTime(v, 1000000, 6),
  timestampFromNanoseconds: v => isoTime(v, 1000000000, 9),
  dateFromDays: v => isoDate(v),
  stringFromBytes: b => b && new TextDecoder().decode(b),
  jsonFromBytes: b => b && JSON.parse(new TextDecoder().decode(b)),
}

// The canonical JSON text of a decoded value.
function canon(v) {
  if (v === null || v === undefined) return 'null'
  if (typeof v === 'bigint') return v.toString()
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return '"NaN"'
    if (!Number.isFinite(v)) return v > 0 ? '"Infinity"' : '"-Infinity"'
    if (Number.isInteger(v)) return JSON.stringify(v)
    return JSON.stringify(Number(v.toPrecision(15)))
  }
  if (typeof v === 'string' || typeof v === 'boolean') {
    return JSON.stringify(v)
  }
  if (v instanceof Uint8Array) {
    return '"0x' + Buffer.from(v).toString('hex') + '"'
  }
  if (v instanceof Date) return JSON.stringify(v.toISOString())
  if (Array.isArray(v) || ArrayBuffer.isView(v)) {
    return '[' + Array.from(v, canon).join(',') + ']'
  }
  if (v instanceof Map) v = Object.fromEntries(v)
  return '{' + Object.entries(v)
    .map(([k, x]) => JSON.stringify(k) + ':' + canon(x)).join(',') + '}'
}

function columnMeta(c) {
  const m = c.meta_data
  return {
    path: m.path_in_schema.join('.'),
    type: m.type,
    codec: m.codec,
    encodings: m.encodings,
    num_values: m.num_values,
    total_compressed_size: m.total_compressed_size,
    total_uncompressed_size: m.total_uncompressed_size,
    data_page_offset: m.data_page_offset,
    dictionary_page_offset: m.dictionary_page_offset,
    statistics: m.statistics && {
      null_count: m.statistics.null_count,
      min_value: m.statistics.min_value,
      max_value: m.statistics.max_value,
    },
  }
}

function metaLine(md) {
  return {
    num_rows: md.num_rows,
    version: md.version,
    created_by: md.created_by,
    key_value_metadata: md.key_value_metadata,
    row_groups: md.row_groups.map(g => ({
      num_rows: g.num_rows,
      total_byte_size: g.total_byte_size,
      file_offset: g.file_offset,
      columns: g.columns.map(columnMeta),
    })),
  }
}

// For --check-stats: every byte array (strings and JSON included) as
// "0x" and hex, so values and statistics compare in byte order.
const hex = b => '0x' + Buffer.from(b).toString('hex')
const rawParsers = {
  ...parsers,
  stringFromBytes: b => b && hex(b),
  jsonFromBytes: b => b && hex(b),
}
const statKey = v => v instanceof Uint8Array ? hex(v) : v
const less = (a, b) => a < b

function checkStats(md, rows) {
  const errors = []
  // The top-level primitive columns: the root's children, skipping the
  // subtrees of groups, except repeated ones.
  const leaves = new Map()
  for (let i = 1, skip = 0; i < md.schema.length; i++) {
    const el = md.schema[i]
    if (skip > 0) {
      skip += (el.num_children || 0) - 1
      continue
    }
    if (el.num_children) skip = el.num_children
    else if (el.repetition_type !== 'REPEATED') leaves.set(el.name, el)
  }
  let start = 0
  md.row_groups.forEach((g, gi) => {
    const n = Number(g.num_rows)
    const part = rows.slice(start, start + n)
    start += n
    for (const c of g.columns) {
      const m = c.meta_data
      const name = m.path_in_schema[0]
      const el = leaves.get(name)
      if (m.path_in_schema.length !== 1 || !el) continue
      const st = m.statistics
      const where = `row group ${gi} column ${name}`
      if (!st) {
        errors.push(`${where}: no statistics`)
        continue
      }
      let nulls = 0
      let min
      let max
      for (const r of part) {
        const v = statKey(r[name])
        if (v === null || v === undefined) {
          nulls++
        } else if (!(typeof v === 'number' && Number.isNaN(v))) {
          if (min === undefined || less(v, min)) min = v
          if (max === undefined || less(max, v)) max = v
        }
      }
      if (Number(st.null_count) !== nulls) {
        errors.push(`${where}: null_count ${st.null_count}, data ${nulls}`)
      }
      if (Number(m.num_values) !== n) {
        errors.push(`${where}: num_values ${m.num_values}, rows ${n}`)
      }
      // Byte-array decimals have no simple order; the writer skips them.
      const optional = el.type === 'BYTE_ARRAY' &&
        el.converted_type === 'DECIMAL'
      const smin = statKey(st.min_value)
      const smax = statKey(st.max_value)
      if (smin === undefined && optional) continue
      if (smin !== min || smax !== max) {
        errors.push(`${where}: stats ${canon(smin)}..${canon(smax)}, ` +
          `data ${canon(min)}..${canon(max)}`)
      }
    }
  })
  return errors
}

// --- --delta DIR -------------------------------------------------------

// Spark's escaping of partition directory names (non-Windows).
function sparkEscape(s) {
  let out = ''
  for (const ch of s) {
    const c = ch.codePointAt(0)
    if (c < 0x20 || c === 0x7f || '"#%\'*/:=?\\{[]^'.includes(ch)) {
      out += '%' + c.toString(16).toUpperCase().padStart(2, '0')
    } else {
      out += ch
    }
  }
  return out
}

const deltaParsers = {
  ...parsers,
  timestampFromMilliseconds: v => BigInt(v) * 1000n,
  timestampFromMicroseconds: v => BigInt(v),
}

// Does the add's stats JSON match the file's data?  Returns errors.
function checkAdd(add, schema, partitionColumns, rows) {
  const errors = []
  const st = JSON.parse(add.stats)
  if (st.numRecords !== rows.length) {
    errors.push(`numRecords ${st.numRecords}, file has ${rows.length}`)
  }
  for (const f of schema.fields) {
    if (partitionColumns.includes(f.name)) continue
    let nulls = 0
    let min
    let max
    for (const r of rows) {
      const v = r[f.name]
      if (v === null || v === undefined) nulls++
      else {
        if (min === undefined || v < min) min = v
        if (max === undefined || max < v) max = v
      }
    }
    let smin = st.minValues?.[f.name]
    let smax = st.maxValues?.[f.name]
    if (f.type === 'timestamp' && min !== undefined) {
      // Delta keeps milliseconds: the bounds are floor and ceiling.
      smin = BigInt(Date.parse(smin)) * 1000n
      smax = BigInt(Date.parse(smax)) * 1000n
      min = min / 1000n * 1000n
      max = (max + 999n) / 1000n * 1000n
    }
    if (typeof min === 'bigint') {
      min = Number(min)
      max = Number(max)
      smin = Number(smin)
      smax = Number(smax)
    }
    if (st.nullCount?.[f.name] !== nulls) {
      errors.push(`${f.name}: nullCount ${st.nullCount?.[f.name]}, ` +
        `data ${nulls}`)
    }
    if (smin !== min || smax !== max) {
      errors.push(`${f.name}: stats ${smin}..${smax}, data ${min}..${max}`)
    }
  }
  return errors
}

// Replay the log of a table, check every live file against its add
// action and print "DIR: version V, F live files, R live rows".
async function checkDelta(dir) {
  const log = path.join(dir, '_delta_log')
  const names = readdirSync(log).filter(f => /^\d{20}\.json$/.test(f)).sort()
  const live = new Map()
  const errors = []
  let meta
  names.forEach((name, v) => {
    if (Number(name.slice(0, 20)) !== v) errors.push(`${name}: version gap`)
    const lines = readFileSync(path.join(log, name), 'utf8').split('\n')
    if (lines.pop() !== '') errors.push(`${name}: no final newline`)
    for (const line of lines) {
      const a = JSON.parse(line)
      const kind = Object.keys(a)
      if (kind.length !== 1) errors.push(`${name}: not one action per line`)
      if (a.metaData) meta = a.metaData
      if (a.add) live.set(a.add.path, a.add)
      if (a.remove && !live.delete(a.remove.path)) {
        errors.push(`${name}: remove of unknown '${a.remove.path}'`)
      }
      for (const p of [a.add?.path, a.remove?.path].filter(Boolean)) {
        if (!/^[A-Za-z0-9\-_.!~*'()/:@&=+$,%]*$/.test(p)) {
          errors.push(`${name}: path not URI-encoded: '${p}'`)
        }
        if (!existsSync(path.join(dir, decodeURIComponent(p)))) {
          errors.push(`${name}: no file for '${p}'`)
        }
      }
    }
  })
  if (!meta) throw new Error(`${dir}: no metaData action`)
  const schema = JSON.parse(meta.schemaString)
  let rows = 0
  for (const add of live.values()) {
    const rel = decodeURIComponent(add.path)
    const where = `file '${rel}'`
    const dirs = rel.split('/').slice(0, -1)
    const want = meta.partitionColumns.map(c => `${sparkEscape(c)}=` +
      (add.partitionValues[c] === null ? '__HIVE_DEFAULT_PARTITION__'
        : sparkEscape(add.partitionValues[c])))
    if (dirs.join('/') !== want.join('/')) {
      errors.push(`${where}: not under '${want.join('/')}'`)
    }
    const bytes = readFileSync(path.join(dir, rel))
    if (bytes.length !== add.size) {
      errors.push(`${where}: size ${bytes.length}, add says ${add.size}`)
    }
    const file = bytes.buffer.slice(bytes.byteOffset,
      bytes.byteOffset + bytes.byteLength)
    const data = await parquetReadObjects({
      file, compressors, parsers: deltaParsers,
    })
    rows += data.length
    for (const e of checkAdd(add, schema, meta.partitionColumns, data)) {
      errors.push(`${where}: ${e}`)
    }
  }
  for (const e of errors) console.log(e)
  if (errors.length) process.exit(1)
  console.log(`${dir}: version ${names.length - 1}, ${live.size} live ` +
    `files, ${rows} live rows`)
}

const args = process.argv.slice(2)
const mode = args[0]?.startsWith('--') ? args.shift() : '--all'
if (args.length !== 1 ||
    !['--all', '--schema', '--meta', '--rows', '--check-stats', '--delta']
      .includes(mode)) {
  console.error('usage: parquet-dump.mjs ' +
    '[--schema|--meta|--rows|--check-stats] FILE\n' +
    '       parquet-dump.mjs --delta DIR')
  process.exit(2)
}
if (mode === '--delta') {
  await checkDelta(args[0])
  process.exit(0)
}
const bytes = readFileSync(args[0])
const file = bytes.buffer.slice(bytes.byteOffset,
  bytes.byteOffset + bytes.byteLength)
const mdParsers = mode === '--check-stats' ? rawParsers : parsers
const md = parquetMetadata(file, { parsers: mdParsers })
const out = []
if (mode === '--all' || mode === '--schema') {
  const defined = el => Object.fromEntries(Object.entries(el)
    .filter(([, v]) => v !== undefined))
  out.push('{"schema":' + canon(md.schema.map(defined)) + '}')
}
if (mode === '--all' || mode === '--meta') {
  out.push('{"meta":' + canon(metaLine(md)) + '}')
}
if (mode !== '--schema' && mode !== '--meta') {
  const rows = await parquetReadObjects({
    file, metadata: md, compressors, parsers: mdParsers, utf8: false,
  })
  if (rows.length !== Number(md.num_rows)) {
    console.error(`read ${rows.length} rows, footer says ${md.num_rows}`)
    process.exit(1)
  }
  if (mode === '--check-stats') {
    const errors = checkStats(md, rows)
    for (const e of errors) console.log(e)
    process.exit(errors.length ? 1 : 0)
  }
  for (const r of rows) out.push(canon(r))
}
process.stdout.write(out.map(l => l + '\n').join(''))
