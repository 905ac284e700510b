// One Authenticode signature: a PKCS #7 / CMS SignedData (RFC 5652 §5) whose content is an
// SpcIndirectDataContent (OID 1.3.6.1.4.1.311.2.1.4) carrying the image's digest, signed by one
// SignerInfo whose certificate is among SignedData.certificates. Further signatures may be nested
// in the SignerInfo's unsigned attributes under 1.3.6.1.4.1.311.2.4.1 (SPC_NESTED_SIGNATURE), each
// a whole ContentInfo again ("Windows Authenticode Portable Executable Signature Format").
//
// DER is decoded by @peculiar/asn1-cms / asn1-x509 (the CMS and X.509 schemas) and asn1js (the one
// Microsoft-specific structure no schema package has); nothing here walks tags and lengths itself.

import { createHash, createPublicKey, verify as verifySignature } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { ContentInfo, id_signedData, SignedData, type SignerInfo } from '@peculiar/asn1-cms';
import { Certificate, type Name } from '@peculiar/asn1-x509';
import * as asn1js from 'asn1js';
import { DIGEST_ALGORITHMS } from './image-hash.js';

export const SPC_INDIRECT_DATA_OBJID = '1.3.6.1.4.1.311.2.1.4';
export const SPC_NESTED_SIGNATURE_OBJID = '1.3.6.1.4.1.311.2.4.1';
const MESSAGE_DIGEST_OID = '1.2.840.113549.1.9.4'; // PKCS #9 messageDigest
/** Nested signatures deeper than this are not followed (real files nest one level). */
export const MAX_NESTING_DEPTH = 4;

/** Short names for the attribute types in certificate names, as Windows shows them (S for state). */
const NAME_ATTRIBUTES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'S',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '1.2.840.113549.1.9.1': 'E',
};

export interface CertificateName {
  /** "CN=…, O=…, C=…", most specific first, as Get-AuthenticodeSignature prints it. */
  readonly distinguishedName: string;
  /** The CN, or the whole name when there is none. */
  readonly commonName: string;
}

export interface ParsedSignature {
  readonly nestingDepth: number;
  /** Node's name for the digest algorithm ('sha256'), or the OID when it is not one we know. */
  readonly digestAlgorithm: string;
  /** The image digest the signer signed. */
  readonly signedDigest: Uint8Array;
  /** The signing certificate's subject and issuer; undefined when SignedData does not carry it. */
  readonly subject: CertificateName | undefined;
  readonly issuer: CertificateName | undefined;
  readonly serialNumber: string | undefined;
  /** The SignerInfo's signature checks out against the certificate's key and the signed content. */
  readonly signatureVerified: boolean;
  /** What could not be read or checked, when anything. */
  readonly problem: string | undefined;
}

export function formatName(name: Name): CertificateName {
  const parts: string[] = [];
  let commonName: string | undefined;
  for (const rdn of [...name].reverse()) {
    for (const attribute of rdn) {
      const value = attribute.value.toString();
      const key = NAME_ATTRIBUTES[attribute.type] ?? attribute.type;
      if (key === 'CN' && commonName === undefined) commonName = value;
      parts.push(`${key}=${value}`);
    }
  }
  const distinguishedName = parts.join(', ');
  return { distinguishedName, commonName: commonName ?? distinguishedName };
}

const toBytes = (buffer: ArrayBuffer): Uint8Array => new Uint8Array(buffer);
const sameBytes = (a: ArrayBuffer | Uint8Array, b: ArrayBuffer | Uint8Array): boolean =>
  Buffer.from(a instanceof Uint8Array ? a : new Uint8Array(a)).equals(Buffer.from(b instanceof Uint8Array ? b : new Uint8Array(b)));

/** SpcIndirectDataContent ::= SEQUENCE { data SpcAttributeTypeAndOptionalValue, messageDigest DigestInfo } */
function readIndirectData(der: ArrayBuffer): { algorithmOid: string; digest: Uint8Array; valueBytes: Uint8Array } {
  const decoded = asn1js.fromBER(der);
  if (decoded.offset === -1) throw new Error(`SpcIndirectDataContent is not DER: ${decoded.result.error}`);
  const sequence = decoded.result;
  if (!(sequence instanceof asn1js.Sequence) || sequence.valueBlock.value.length < 2) throw new Error('SpcIndirectDataContent is not a two-field SEQUENCE');
  const digestInfo = sequence.valueBlock.value[1];
  if (!(digestInfo instanceof asn1js.Sequence) || digestInfo.valueBlock.value.length < 2) throw new Error('DigestInfo is not a SEQUENCE');
  const [algorithm, digest] = digestInfo.valueBlock.value;
  if (!(algorithm instanceof asn1js.Sequence) || !(algorithm.valueBlock.value[0] instanceof asn1js.ObjectIdentifier)) {
    throw new Error('DigestInfo has no algorithm identifier');
  }
  if (!(digest instanceof asn1js.OctetString)) throw new Error('DigestInfo has no digest OCTET STRING');
  // The messageDigest attribute covers the SEQUENCE's contents, not its tag and length (Authenticode spec).
  const valueBytes = toBytes(sequence.valueBeforeDecodeView.slice(sequence.idBlock.blockLength + sequence.lenBlock.blockLength).buffer);
  return { algorithmOid: algorithm.valueBlock.value[0].valueBlock.toString(), digest: toBytes(digest.valueBlock.valueHexView.slice().buffer), valueBytes };
}

function findSignerCertificate(signedData: SignedData, signer: SignerInfo): Certificate | undefined {
  const byIssuer = signer.sid.issuerAndSerialNumber;
  const byKeyId = signer.sid.subjectKeyIdentifier;
  for (const choice of signedData.certificates ?? []) {
    const cert = choice.certificate;
    if (!cert) continue;
    if (byIssuer) {
      if (sameBytes(cert.tbsCertificate.serialNumber, byIssuer.serialNumber) && sameBytes(AsnConvert.serialize(cert.tbsCertificate.issuer), AsnConvert.serialize(byIssuer.issuer))) return cert;
    } else if (byKeyId) {
      const keyId = cert.tbsCertificate.extensions?.find((e) => e.extnID === '2.5.29.14');
      if (keyId && sameBytes(keyId.extnValue.buffer, AsnConvert.serialize(byKeyId))) return cert;
    }
  }
  return undefined;
}

/** The SignerInfo signs its authenticated attributes (re-tagged as a SET), which hold the content's digest. */
function checkSignerSignature(signer: SignerInfo, certificate: Certificate, content: Uint8Array, digestName: string): string | undefined {
  if (!signer.signedAttrs || signer.signedAttrs.length === 0) return 'the signer has no authenticated attributes';
  const messageDigest = signer.signedAttrs.find((a) => a.attrType === MESSAGE_DIGEST_OID)?.attrValues[0];
  if (!messageDigest) return 'the signer has no messageDigest attribute';
  const recorded = asn1js.fromBER(messageDigest).result;
  if (!(recorded instanceof asn1js.OctetString)) return 'the messageDigest attribute is not an OCTET STRING';
  if (!Buffer.from(recorded.valueBlock.valueHexView).equals(createHash(digestName).update(content).digest())) {
    return 'the signed content does not match the signer\'s messageDigest';
  }
  // RFC 5652 §5.4: the signature covers the attributes' DER with a SET OF tag, not the [0] IMPLICIT
  // one they are stored under. The schema library keeps each Attribute's values as the original
  // bytes, so re-encoding the SET yields the signed bytes (DER has one encoding).
  const set = new asn1js.Set({ value: signer.signedAttrs.map((a) => asn1js.fromBER(AsnConvert.serialize(a)).result) });
  const attributes = Buffer.from(set.toBER());
  const key = createPublicKey({ key: Buffer.from(AsnConvert.serialize(certificate.tbsCertificate.subjectPublicKeyInfo)), format: 'der', type: 'spki' });
  const ok = verifySignature(digestName, attributes, key, Buffer.from(signer.signature.buffer));
  return ok ? undefined : 'the signer\'s signature does not verify with its certificate\'s key';
}

/** Every signature in one ContentInfo: its own, then its nested ones, depth-first. */
export function parseSignatures(der: Uint8Array, nestingDepth = 0): ParsedSignature[] {
  const failed = (problem: string): ParsedSignature[] => [
    { nestingDepth, digestAlgorithm: 'unknown', signedDigest: new Uint8Array(0), subject: undefined, issuer: undefined, serialNumber: undefined, signatureVerified: false, problem },
  ];
  let signedData: SignedData;
  try {
    const info = AsnConvert.parse(der, ContentInfo);
    if (info.contentType !== id_signedData) return failed(`content type ${info.contentType} is not SignedData`);
    signedData = AsnConvert.parse(info.content, SignedData);
  } catch (e: unknown) {
    return failed(`the PKCS #7 SignedData cannot be decoded: ${e instanceof Error ? e.message : String(e)}`);
  }
  const encapsulated = signedData.encapContentInfo;
  if (encapsulated.eContentType !== SPC_INDIRECT_DATA_OBJID) return failed(`content ${encapsulated.eContentType} is not SpcIndirectDataContent`);
  const contentDer = encapsulated.eContent?.any ?? encapsulated.eContent?.single?.buffer;
  if (!contentDer) return failed('SignedData carries no content');
  let indirect: ReturnType<typeof readIndirectData>;
  try {
    indirect = readIndirectData(contentDer);
  } catch (e: unknown) {
    return failed(e instanceof Error ? e.message : String(e));
  }
  const digestAlgorithm = DIGEST_ALGORITHMS[indirect.algorithmOid] ?? indirect.algorithmOid;
  const results: ParsedSignature[] = [];
  const signers = [...signedData.signerInfos];
  if (signers.length === 0) return failed('SignedData has no SignerInfo');
  for (const signer of signers) {
    const certificate = findSignerCertificate(signedData, signer);
    const signerDigest = DIGEST_ALGORITHMS[signer.digestAlgorithm.algorithm];
    let problem: string | undefined;
    if (!certificate) problem = 'the signing certificate is not in the signature';
    else if (!signerDigest) problem = `the signer's digest algorithm ${signer.digestAlgorithm.algorithm} is not supported`;
    else {
      try {
        problem = checkSignerSignature(signer, certificate, indirect.valueBytes, signerDigest);
      } catch (e: unknown) {
        problem = `the signer's signature cannot be checked: ${e instanceof Error ? e.message : String(e)}`;
      }
    }
    results.push({
      nestingDepth,
      digestAlgorithm,
      signedDigest: indirect.digest,
      subject: certificate ? formatName(certificate.tbsCertificate.subject) : undefined,
      issuer: certificate ? formatName(certificate.tbsCertificate.issuer) : undefined,
      serialNumber: certificate ? Buffer.from(certificate.tbsCertificate.serialNumber).toString('hex').toUpperCase() : undefined,
      signatureVerified: problem === undefined,
      problem,
    });
    for (const attribute of signer.unsignedAttrs ?? []) {
      if (attribute.attrType !== SPC_NESTED_SIGNATURE_OBJID) continue;
      for (const value of attribute.attrValues) {
        if (nestingDepth + 1 > MAX_NESTING_DEPTH) {
          results.push(...failed(`nested signatures deeper than ${MAX_NESTING_DEPTH} levels are not read`));
          continue;
        }
        results.push(...parseSignatures(new Uint8Array(value), nestingDepth + 1));
      }
    }
  }
  return results;
}
