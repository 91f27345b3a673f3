import crypto from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';

/**
 * A software WebAuthn authenticator for tests without a browser: a real ES256 key pair per credential,
 * the authenticator data and attestation object as a real authenticator builds them (CBOR via
 * @simplewebauthn's own encoder), and signatures over them. It plays the browser too: it writes the
 * clientDataJSON with the origin it is told.
 */
export interface SoftCredential {
  id: string;
  privateKey: crypto.KeyObject;
  userHandle: string;
  counter: number;
}

const FLAG_USER_PRESENT = 0x01;
const FLAG_USER_VERIFIED = 0x04;
const FLAG_ATTESTED_DATA = 0x40;

interface CreationOptions {
  challenge: string;
  rp: { id?: string };
  user: { id: string };
}

interface RequestOptions {
  challenge: string;
  rpId?: string;
  allowCredentials?: Array<{ id: string }>;
}

function sha256(data: Buffer | string): Buffer {
  return crypto.createHash('sha256').update(data).digest();
}

function counterBytes(counter: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(counter);
  return bytes;
}

function clientData(type: string, challenge: string, origin: string): Buffer {
  return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
}

export class SoftAuthenticator {
  readonly credentials: SoftCredential[] = [];

  constructor(
    /** The origin the "browser" reports: the issuer's, unless a test plays a phishing site. */
    public origin: string,
    private readonly userVerified = true,
  ) {}

  /** `navigator.credentials.create()`: a new ES256 credential for the options' RP and user. */
  register(options: CreationOptions, overrides: { origin?: string; rpId?: string } = {}) {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const credentialId = crypto.randomBytes(32);
    const cose = new Map<number, number | Uint8Array>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, Buffer.from(jwk.x!, 'base64url')],
      [-3, Buffer.from(jwk.y!, 'base64url')],
    ]);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(credentialId.length);
    const authData = Buffer.concat([
      sha256(overrides.rpId ?? options.rp.id ?? ''),
      Buffer.from([this.#flags() | FLAG_ATTESTED_DATA]),
      counterBytes(0),
      Buffer.alloc(16),
      idLength,
      credentialId,
      Buffer.from(isoCBOR.encode(cose)),
    ]);
    const attestationObject = isoCBOR.encode(
      new Map<string, unknown>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', new Uint8Array(authData)],
      ]) as never,
    );
    const id = credentialId.toString('base64url');
    this.credentials.push({ id, privateKey, userHandle: options.user.id, counter: 0 });
    return {
      id,
      rawId: id,
      type: 'public-key',
      response: {
        clientDataJSON: clientData(
          'webauthn.create',
          options.challenge,
          overrides.origin ?? this.origin,
        ).toString('base64url'),
        attestationObject: Buffer.from(attestationObject).toString('base64url'),
        transports: ['internal'],
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /**
   * `navigator.credentials.get()`: signs the challenge with `credential` (the first allowed one of ours by
   * default). The counter goes up by one, unless a test sets it (a clone).
   */
  assert(
    options: RequestOptions,
    overrides: { origin?: string; rpId?: string; credential?: SoftCredential; counter?: number } = {},
  ) {
    const allowed = new Set((options.allowCredentials ?? []).map((entry) => entry.id));
    const credential =
      overrides.credential ??
      this.credentials.find((candidate) => allowed.size === 0 || allowed.has(candidate.id));
    if (!credential) throw new Error('no credential for these options');
    credential.counter = overrides.counter ?? credential.counter + 1;
    const authData = Buffer.concat([
      sha256(overrides.rpId ?? options.rpId ?? ''),
      Buffer.from([this.#flags()]),
      counterBytes(credential.counter),
    ]);
    const data = clientData('webauthn.get', options.challenge, overrides.origin ?? this.origin);
    const signature = crypto.sign('sha256', Buffer.concat([authData, sha256(data)]), credential.privateKey);
    return {
      id: credential.id,
      rawId: credential.id,
      type: 'public-key',
      response: {
        clientDataJSON: data.toString('base64url'),
        authenticatorData: authData.toString('base64url'),
        signature: signature.toString('base64url'),
        userHandle: credential.userHandle,
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  #flags(): number {
    return FLAG_USER_PRESENT | (this.userVerified ? FLAG_USER_VERIFIED : 0);
  }
}

/** The options a passkey form carries (`data-passkey-options`), read from the page as a script would. */
export function passkeyOptionsOf<T = CreationOptions & RequestOptions>(body: string): T {
  const match = body.match(/data-passkey-options="([^"]*)"/);
  if (!match) throw new Error('no passkey form on this page');
  const json = match[1]!
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
  return JSON.parse(json) as T;
}
