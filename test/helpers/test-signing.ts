// A self-made code-signing CA for tests, and real EFI programs signed with it by real tools
// (openssl for the keys, sbsign for one signature, osslsigncode for a nested second one). The CA's
// name says it is a test CA: nothing it signs is trusted by any firmware.
//
// The programs come from Debian packages installed by scripts/setup.sh: shim-signed ships the
// unsigned shimx64.efi next to the Microsoft-signed one, grub-efi-amd64-signed a Debian-signed GRUB.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';

export const SHIM_SIGNED = '/usr/lib/shim/shimx64.efi.signed';
export const SHIM_UNSIGNED = '/usr/lib/shim/shimx64.efi';
export const GRUB_SIGNED = '/usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed';

/** Fails loudly (never skips) when the packages the tests read are missing. */
export function requireSigningPackages(): void {
  for (const [path, pkg] of [
    [SHIM_SIGNED, 'shim-signed'],
    [SHIM_UNSIGNED, 'shim-signed'],
    [GRUB_SIGNED, 'grub-efi-amd64-signed'],
  ] as const) {
    if (!existsSync(path)) throw new Error(`${path} is missing: run scripts/setup.sh (apt-get install ${pkg})`);
  }
}

export interface TestCa {
  readonly dir: string;
  /** Subject CN of the CA, which is the issuer of everything it signs. */
  readonly caName: string;
  readonly signerName: string;
  readonly key: string;
  readonly cert: string;
}

/**
 * A CA and one signing certificate under `dir`, named `<prefix> Test CA (untrusted)` and
 * `<prefix> Test Signer`. `caCommonName` gives the CA a real CA's CN instead (to test how a name
 * is judged); its organisation still says it is an untrusted test CA.
 */
export async function makeTestCa(dir: string, prefix: string, caCommonName?: string): Promise<TestCa> {
  const caName = caCommonName ?? `${prefix} Test CA (untrusted)`;
  const signerName = `${prefix} Test Signer`;
  const caKey = join(dir, `${prefix}-ca.key`);
  const caCert = join(dir, `${prefix}-ca.pem`);
  const key = join(dir, `${prefix}-signer.key`);
  const csr = join(dir, `${prefix}-signer.csr`);
  const cert = join(dir, `${prefix}-signer.pem`);
  const ext = join(dir, `${prefix}-signer.ext`);
  await execa('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', caKey, '-out', caCert, '-days', '3650', '-subj', `/O=CaptureMedia Tests - untrusted test CA/CN=${caName}`]);
  await execa('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr, '-subj', `/O=CaptureMedia Tests/CN=${signerName}`]);
  await execa('bash', ['-c', `printf 'extendedKeyUsage=codeSigning\\nkeyUsage=digitalSignature\\n' > "${ext}"`]);
  await execa('openssl', ['x509', '-req', '-in', csr, '-CA', caCert, '-CAkey', caKey, '-CAcreateserial', '-out', cert, '-days', '3650', '-extfile', ext]);
  return { dir, caName, signerName, key, cert };
}

/** sbsign: one signature (one WIN_CERTIFICATE entry). */
export async function sbsign(ca: TestCa, input: string, output: string): Promise<void> {
  await execa('sbsign', ['--key', ca.key, '--cert', ca.cert, '--output', output, input]);
}

/** osslsigncode -nest: adds a signature nested in the existing one (SPC_NESTED_SIGNATURE). */
export async function nestSignature(ca: TestCa, input: string, output: string): Promise<void> {
  await execa('osslsigncode', ['sign', '-nest', '-h', 'sha256', '-certs', ca.cert, '-key', ca.key, '-in', input, '-out', output]);
}
