// Reads every Authenticode signature of a PE/EFI program: each WIN_CERTIFICATE entry of the
// certificate table and each signature nested inside them, with the signing certificate's subject
// and issuer, the digest algorithm, and whether the file's own Authenticode hash is the one that
// was signed (a modified program is reported as such).
//
// Never throws on file content: a file that is not a PE image, or whose headers or certificate
// table are malformed (truncated, overlapping, oversized), gives a report with status 'not-pe' or
// 'malformed' and the reason. What this does not do is decide trust: whether the issuer is in a
// device's Secure Boot db or revoked by its dbx is the firmware's call (see signers.ts for how the
// report is summarised for that question).

import { open } from 'node:fs/promises';
import { authenticodeHash } from './image-hash.js';
import { AuthenticodeFormatError, looksLikePe, parsePeHeaders } from './pe-headers.js';
import { parseSignatures, type CertificateName } from './signed-data.js';
import { parseWinCertificates, WIN_CERT_TYPE_PKCS_SIGNED_DATA } from './win-certificate.js';

/** Boot programs are a few MiB; a larger "EFI program" is not read into memory. */
export const MAX_PROGRAM_BYTES = 64 * 1024 * 1024;

export type AuthenticodeStatus = 'signed' | 'unsigned' | 'not-pe' | 'malformed';

export interface AuthenticodeSignature {
  /** Which WIN_CERTIFICATE entry (0-based) the signature is in. */
  readonly entry: number;
  /** 0 for the entry's own signature, 1 for one nested in it. */
  readonly nestingDepth: number;
  readonly digestAlgorithm: string;
  readonly subject: CertificateName | undefined;
  readonly issuer: CertificateName | undefined;
  readonly serialNumber: string | undefined;
  /** The file's Authenticode hash equals the signed one. */
  readonly digestMatches: boolean;
  /** The signer's signature verifies with the key of the certificate it names. */
  readonly signatureVerified: boolean;
  readonly problem: string | undefined;
}

export interface AuthenticodeReport {
  readonly status: AuthenticodeStatus;
  readonly signatures: readonly AuthenticodeSignature[];
  /** Why the status is 'not-pe' or 'malformed', or what else was wrong in a signed file. */
  readonly problems: readonly string[];
}

const report = (status: AuthenticodeStatus, problems: string[] = [], signatures: AuthenticodeSignature[] = []): AuthenticodeReport => ({
  status,
  signatures,
  problems,
});

export function readAuthenticode(bytes: Uint8Array): AuthenticodeReport {
  if (!looksLikePe(bytes)) return report('not-pe', ['no MZ header with a PE signature']);
  try {
    const headers = parsePeHeaders(bytes);
    if (headers.certificateTable.sizeBytes === 0) return report('unsigned');
    const problems: string[] = [];
    const signatures: AuthenticodeSignature[] = [];
    const hashes = new Map<string, Buffer>();
    const entries = parseWinCertificates(bytes, headers.certificateTable);
    entries.forEach((entry, index) => {
      if (entry.certificateType !== WIN_CERT_TYPE_PKCS_SIGNED_DATA) {
        problems.push(`certificate table entry ${index} is of type ${entry.certificateType}, not PKCS #7 SignedData`);
        return;
      }
      for (const parsed of parseSignatures(entry.certificate)) {
        let digestMatches = false;
        if (parsed.signedDigest.length > 0) {
          try {
            let hash = hashes.get(parsed.digestAlgorithm);
            if (!hash) {
              hash = authenticodeHash(bytes, headers, parsed.digestAlgorithm);
              hashes.set(parsed.digestAlgorithm, hash);
            }
            digestMatches = hash.equals(parsed.signedDigest);
          } catch {
            // an algorithm node cannot compute: the digest cannot be checked, so it does not match
          }
        }
        signatures.push({
          entry: index,
          nestingDepth: parsed.nestingDepth,
          digestAlgorithm: parsed.digestAlgorithm,
          subject: parsed.subject,
          issuer: parsed.issuer,
          serialNumber: parsed.serialNumber,
          digestMatches,
          signatureVerified: parsed.signatureVerified,
          problem: parsed.problem,
        });
      }
    });
    if (signatures.length === 0) return report('malformed', problems.length > 0 ? problems : ['the certificate table holds no signature']);
    return report('signed', problems, signatures);
  } catch (e: unknown) {
    if (e instanceof AuthenticodeFormatError) return report('malformed', [e.message]);
    throw e;
  }
}

/** Read a program file (at most MAX_PROGRAM_BYTES) and report its signatures. */
export async function readAuthenticodeFile(path: string): Promise<AuthenticodeReport> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size > MAX_PROGRAM_BYTES) return report('malformed', [`${size} bytes is larger than any boot program (${MAX_PROGRAM_BYTES} at most)`]);
    const bytes = Buffer.alloc(size);
    const { bytesRead } = await handle.read(bytes, 0, size, 0);
    return readAuthenticode(bytes.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}
