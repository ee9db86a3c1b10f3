// A fediverse peer whose RFC 9421 (HTTP Message Signatures) side is Misskey's library,
// @misskey-dev/node-http-message-signatures (npm): it builds the signature base of every
// request, both ways, so that our signatures are checked, and theirs made, by code this
// project did not write. Node's crypto only does the RSA arithmetic.
//
//   node misskey_peer.mjs   (env PEER_PRIVATE_KEY, PEER_PUBLIC_KEY: the actor's PEM keys)
//
// Prints {"port": N} once listening on a free loopback port, then serves:
//   GET  /users/ana            the actor (its key), as any ActivityPub server does
//   POST /users/ana/inbox      verifies the RFC 9421 signature and the Content-Digest: 202 if
//   POST /inbox                both hold, 401 otherwise (a cavage-only request is refused)
//   GET  /received             what arrived: [{type, verified, reason}]
//   POST /send {url, activity} signs `activity` with RFC 9421 and POSTs it to `url`
import crypto from 'node:crypto';
import http from 'node:http';

import {
  RFC9421SignatureBaseFactory,
  verifyRFC9530DigestHeader,
} from '@misskey-dev/node-http-message-signatures';
import { parseDictionary, ByteSequence } from 'structured-headers';

const privateKey = process.env.PEER_PRIVATE_KEY;
const publicKey = process.env.PEER_PUBLIC_KEY;
const received = [];
let origin = '';

const readBody = (request) =>
  new Promise((resolve) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
  });

async function keyOf(keyId) {
  const response = await fetch(keyId, { headers: { Accept: 'application/activity+json' } });
  if (!response.ok) throw new Error(`key ${keyId}: ${response.status}`);
  const document = await response.json();
  return (document.publicKey || document).publicKeyPem;
}

async function verify(request, body) {
  if (!request.headers['signature-input']) return [false, 'not an RFC 9421 signature'];
  const inputs = parseDictionary(request.headers['signature-input']);
  const signatures = parseDictionary(request.headers.signature);
  const [label, [components, parameters]] = inputs.entries().next().value;
  const covered = components.map(([name]) => name);
  for (const needed of ['@method', '@target-uri', 'content-digest']) {
    if (!covered.includes(needed)) return [false, `does not cover ${needed}`];
  }
  const created = parameters.get('created');
  if (Math.abs(Date.now() / 1000 - created) > 300) return [false, 'stale'];
  if (!(await verifyRFC9530DigestHeader(request, body))) return [false, 'digest'];
  const base = new RFC9421SignatureBaseFactory(request, 'http').generate(label);
  const signature = Buffer.from(signatures.get(label)[0].toBase64(), 'base64');
  const key = await keyOf(parameters.get('keyid'));
  const ok = crypto.verify('sha256', Buffer.from(base), key, signature);
  return [ok, ok ? 'verified' : 'signature does not match'];
}

async function send(url, activity) {
  const body = JSON.stringify(activity);
  const headers = {
    host: new URL(url).host,
    date: new Date().toUTCString(),
    'content-type': 'application/activity+json',
    'content-digest': `sha-256=:${crypto.createHash('sha256').update(body).digest('base64')}:`,
  };
  const created = Math.floor(Date.now() / 1000);
  headers['signature-input'] =
    'sig1=("@method" "@target-uri" "@authority" "content-digest" "date");' +
    `created=${created};keyid="${origin}/users/ana#main-key";alg="rsa-v1_5-sha256"`;
  const base = new RFC9421SignatureBaseFactory({ url, method: 'POST', headers }).generate('sig1');
  const signature = crypto.sign('sha256', Buffer.from(base), privateKey).toString('base64');
  headers.signature = `sig1=:${signature}:`;
  const response = await fetch(url, { method: 'POST', headers, body });
  return { status: response.status, text: await response.text() };
}

const server = http.createServer(async (request, response) => {
  const reply = (status, document) => {
    response.writeHead(status, { 'content-type': 'application/activity+json' });
    response.end(JSON.stringify(document));
  };
  try {
    const body = await readBody(request);
    if (request.method === 'GET' && request.url === '/users/ana') {
      return reply(200, {
        '@context': ['https://www.w3.org/ns/activitystreams', 'https://w3id.org/security/v1'],
        id: `${origin}/users/ana`,
        type: 'Person',
        preferredUsername: 'ana',
        inbox: `${origin}/users/ana/inbox`,
        endpoints: { sharedInbox: `${origin}/inbox` },
        publicKey: { id: `${origin}/users/ana#main-key`, owner: `${origin}/users/ana`, publicKeyPem: publicKey },
      });
    }
    if (request.method === 'GET' && request.url === '/received') return reply(200, received);
    if (request.method === 'POST' && request.url === '/send') {
      const { url, activity } = JSON.parse(body);
      return reply(200, await send(url, activity));
    }
    if (request.method === 'POST' && ['/users/ana/inbox', '/inbox'].includes(request.url)) {
      const [verified, reason] = await verify(request, body);
      received.push({ type: JSON.parse(body).type, verified, reason });
      return reply(verified ? 202 : 401, {});
    }
    return reply(404, {});
  } catch (error) {
    return reply(500, { error: String(error) });
  }
});

server.listen(0, '127.0.0.1', () => {
  origin = `http://127.0.0.1:${server.address().port}`;
  console.log(JSON.stringify({ port: server.address().port }));
});
