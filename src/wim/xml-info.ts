// The WIM's XML data resource: UTF-16LE with a byte-order mark, stored uncompressed (Microsoft
// "Windows Imaging File Format" §"XML data"; wimlib docs "XML data"). Shape:
//   <WIM><TOTALBYTES>n</TOTALBYTES>
//     <IMAGE INDEX="1"><NAME>…</NAME><DESCRIPTION>…</DESCRIPTION><TOTALBYTES>n</TOTALBYTES>
//       <WINDOWS><ARCH>9</ARCH><VERSION><MAJOR>10</MAJOR><MINOR>0</MINOR><BUILD>26100</BUILD>
//       <SPBUILD>1</SPBUILD></VERSION></WINDOWS></IMAGE>…</WIM>
// ARCH holds a PROCESSOR_ARCHITECTURE_* value: 0 x86, 5 ARM, 9 AMD64, 12 ARM64.

import { XMLParser } from 'fast-xml-parser';
import { InvalidFormatError } from '../errors.js';

export type WimArchitecture = 'x86' | 'x64' | 'arm' | 'arm64' | 'unknown';

export interface WimImageInfo {
  index: number;
  name: string;
  description: string;
  architecture: WimArchitecture;
  /** major.minor.build.spbuild, or '' when the XML has no VERSION. */
  version: string;
  totalBytes: number;
}

export interface WimXmlInfo {
  totalBytes: number;
  images: WimImageInfo[];
}

const ARCHITECTURES: Record<string, WimArchitecture> = { '0': 'x86', '5': 'arm', '9': 'x64', '12': 'arm64' };

export function decodeXmlText(bytes: Uint8Array): string {
  let start = 0;
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) start = 2;
  const end = start + ((bytes.length - start) & ~1);
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('utf16le');
}

type XmlNode = Record<string, unknown>;

function child(node: unknown, name: string): unknown {
  if (typeof node !== 'object' || node === null) return undefined;
  // Element names are upper case in every writer (DISM, wimlib); match case-insensitively anyway.
  for (const [key, value] of Object.entries(node as XmlNode)) if (key.toUpperCase() === name) return value;
  return undefined;
}

function text(node: unknown): string {
  if (typeof node === 'string') return node.trim();
  if (typeof node === 'number') return String(node);
  const t = child(node, '#TEXT');
  return typeof t === 'string' ? t.trim() : '';
}

function integer(node: unknown): number {
  const t = text(node);
  if (!/^\d+$/.test(t)) return 0;
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : 0;
}

/** Parse the XML; `imageCount` images are returned (index 1..n), defaulting missing fields. */
export function parseXmlInfo(bytes: Uint8Array, imageCount: number, target?: string): WimXmlInfo {
  const source = decodeXmlText(bytes);
  let doc: unknown;
  try {
    const parser = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@',
      parseTagValue: false,
      parseAttributeValue: false,
      trimValues: true,
      processEntities: true,
      isArray: (name) => name.toUpperCase() === 'IMAGE',
    });
    doc = parser.parse(source);
  } catch (error: unknown) {
    throw new InvalidFormatError('WimInvalid', 'XML data', 0, 'the XML data does not parse', { cause: error, ...(target === undefined ? {} : { target }) });
  }
  const wim = child(doc, 'WIM');
  if (wim === undefined && imageCount > 0) {
    throw new InvalidFormatError('WimInvalid', 'XML data', 0, 'no <WIM> element', target === undefined ? {} : { target });
  }
  const imageNodes = child(wim, 'IMAGE');
  const byIndex = new Map<number, unknown>();
  if (Array.isArray(imageNodes)) {
    for (const node of imageNodes) {
      const index = integer(child(node, '@INDEX'));
      if (index >= 1 && !byIndex.has(index)) byIndex.set(index, node);
    }
  }
  const images: WimImageInfo[] = [];
  for (let index = 1; index <= imageCount; index++) {
    const node = byIndex.get(index);
    const windows = child(node, 'WINDOWS');
    const arch = text(child(windows, 'ARCH'));
    const version = child(windows, 'VERSION');
    const parts = ['MAJOR', 'MINOR', 'BUILD', 'SPBUILD'].map((name) => text(child(version, name)));
    images.push({
      index,
      name: text(child(node, 'NAME')),
      description: text(child(node, 'DESCRIPTION')),
      architecture: ARCHITECTURES[arch] ?? 'unknown',
      version: version === undefined || parts[0] === '' ? '' : parts.map((p) => (p === '' ? '0' : p)).join('.'),
      totalBytes: integer(child(node, 'TOTALBYTES')),
    });
  }
  return { totalBytes: integer(child(wim, 'TOTALBYTES')), images };
}
