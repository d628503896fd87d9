// OpenID Connect provider (oidc-provider 9) for the auth tests, on 127.0.0.1.
// Usage: node server.mjs PORT   (OIDC_TOKEN_FORMAT=opaque for opaque access tokens)
// Clients: basic-client/basic-secret (client_secret_basic), post-client/post-secret (client_secret_post),
// and odd-client with a secret full of characters RFC 6749 §2.3.1 requires to be form-encoded.
import Provider from 'oidc-provider'

const port = Number(process.argv[2] || 9400)
const issuer = `http://127.0.0.1:${port}`
const RESOURCE = 'urn:workbench:api'
const cc = { grant_types: ['client_credentials'], response_types: [], redirect_uris: [], scope: 'api' }
const ttl = Number(process.env.OIDC_TOKEN_TTL || 3600)

const provider = new Provider(issuer, {
  clients: [
    { ...cc, client_id: 'basic-client', client_secret: 'basic-secret', token_endpoint_auth_method: 'client_secret_basic' },
    { ...cc, client_id: 'post-client', client_secret: 'post-secret', token_endpoint_auth_method: 'client_secret_post' },
    // Workflow Server's built-in identity server: client `workflowapi`, the API access token as its secret.
    { ...cc, client_id: 'workflowapi', client_secret: 'wf-api-token', token_endpoint_auth_method: 'client_secret_post' },
    { ...cc, client_id: 'odd client:1', client_secret: 's3c:r+t/=#% x', token_endpoint_auth_method: 'client_secret_basic' },
  ],
  scopes: ['openid', 'offline_access', 'api'],
  features: {
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => RESOURCE,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: 'api',
        audience: RESOURCE,
        accessTokenTTL: ttl,
        accessTokenFormat: process.env.OIDC_TOKEN_FORMAT === 'opaque' ? 'opaque' : 'jwt',
      }),
    },
  },
})

provider.listen(port, '127.0.0.1', () => console.log(`READY ${issuer}`))
