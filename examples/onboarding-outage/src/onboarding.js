import config from 'config';

// Since the hotfix, every tenant signs in with its own OAuth app, issued by
// the tenant issuer. The global OAuth app is gone: nothing here reads it.
export function oauthSettings() {
  return {
    issuer: process.env.OAUTH_TENANT_ISSUER,
    redirectUrl: config.get('oauth.tenants.redirect_url'),
    scopes: config.get('oauth.tenants.scopes'),
  };
}

export function startOnboarding(options) {
  const oauth = oauthSettings();
  return { ...options, oauth };
}
