import type { SignedInUser } from './portal-sessions.js';

/** Markup that is already safe: what `html` returns, so nested templates are not escaped twice. */
export class SafeHtml {
  constructor(readonly value: string) {}
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

type Interpolation = SafeHtml | string | number | undefined | null | false | Interpolation[];

/** A template tag that escapes every interpolated value, except SafeHtml (and arrays of it). */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  const render = (value: Interpolation | undefined): string => {
    if (value instanceof SafeHtml) return value.value;
    if (Array.isArray(value)) return value.map(render).join('');
    if (value === undefined || value === null || value === false) return '';
    return escapeHtml(String(value));
  };
  return new SafeHtml(strings.reduce((out, text, index) => out + render(values[index - 1]) + text));
}

const STYLE = `
  body { font-family: system-ui, sans-serif; margin: 0; background: #f4f6f8; color: #1d2733; }
  header { background: #0b3d62; color: #fff; padding: 1rem 2rem; }
  header a { color: inherit; text-decoration: none; font-weight: 600; }
  header .hint { color: #d5e1ec; }
  main { max-width: 44rem; margin: 2rem auto; background: #fff; padding: 2rem; border-radius: 8px; }
  .login-button, button { display: inline-block; background: #d2232a; color: #fff; border: 0; border-radius: 4px;
    padding: 0.75rem 1.25rem; font-size: 1rem; text-decoration: none; cursor: pointer; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.5rem 1.5rem; }
  dt { font-weight: 600; }
  dd { margin: 0; }
  code { background: #eef1f4; padding: 0 0.25rem; border-radius: 3px; }
  .hint { color: #5a6775; font-size: 0.9rem; }
  .error { border-left: 4px solid #d2232a; padding-left: 1rem; }
`;

function layout(title: string, content: SafeHtml): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} – Mobile Security Portal (demo)</title>
        <style>
          ${new SafeHtml(STYLE)}
        </style>
      </head>
      <body>
        <header><a href="/">Mobile Security Portal</a> <span class="hint">(demo relying party)</span></header>
        <main>${content}</main>
      </body>
    </html> `.value;
}

export interface StartPageModel {
  /** The link of the login button, e.g. `/login?tenant=123456.sms&ui_locales=de`. */
  loginHref: string;
  tenant?: string;
  /** This page in English and in German, for trying the login pages in both. */
  languageLinks: { en: string; de: string };
  demoTenantId?: string;
}

export function startPage(model: StartPageModel): string {
  return layout(
    'Start',
    html`<h1>Welcome to the Mobile Security Portal</h1>
      ${model.tenant ? html`<p>Tenant: <strong>${model.tenant}</strong></p>` : ''}
      <p>
        <a class="login-button" href="${model.loginHref}">Login with Securepoint Unified Security account</a>
      </p>
      <p class="hint">
        Login page language: <a href="${model.languageLinks.en}">English</a> ·
        <a href="${model.languageLinks.de}">Deutsch</a>
      </p>
      ${
        model.demoTenantId && !model.tenant
          ? html`<p class="hint">
              With the tenant already filled in:
              <a href="/tenant-${encodeURIComponent(model.demoTenantId)}">/tenant-${model.demoTenantId}</a>
            </p>`
          : ''
      }`,
  );
}

function list(values: string[]): SafeHtml {
  return values.length === 0
    ? html`<em>none</em>`
    : html`${values.map((value) => html`<code>${value}</code> `)}`;
}

/** `accountPage`: the IdP's account page, where the person changes password, 2FA and e-mail. */
export function signedInPage(user: SignedInUser, accountPage: string): string {
  return layout(
    'Signed in',
    html`<h1>You are signed in</h1>
      <dl>
        <dt>Tenant ID</dt>
        <dd data-testid="tenant-id">${user.tenantId}</dd>
        <dt>Tenant name</dt>
        <dd data-testid="tenant-name">${user.tenantName}</dd>
        <dt>Username</dt>
        <dd data-testid="username">${user.username}</dd>
        <dt>Name</dt>
        <dd>${user.name}</dd>
        <dt>E-mail</dt>
        <dd>${user.email}</dd>
        <dt>Roles</dt>
        <dd data-testid="roles">${list(user.roles)}</dd>
        <dt>Permissions</dt>
        <dd data-testid="permissions">${list(user.permissions)}</dd>
        <dt>Authentication methods (amr)</dt>
        <dd data-testid="amr">${list(user.amr)}</dd>
        <dt>Authentication level (acr)</dt>
        <dd data-testid="acr">${user.acr}</dd>
      </dl>
      <p><a href="${accountPage}" data-testid="manage-account">Manage your account</a></p>
      <form method="post" action="/logout"><button type="submit">Log out</button></form>`,
  );
}

export interface ErrorPageModel {
  title: string;
  message: string;
  /** The IdP's `error` and `error_description`, or what openid-client refused. */
  details?: Array<[label: string, value: string | undefined]>;
}

export function errorPage(model: ErrorPageModel): string {
  const details = (model.details ?? []).filter(([, value]) => value);
  return layout(
    model.title,
    html`<h1>${model.title}</h1>
      <div class="error">
        <p>${model.message}</p>
        ${
          details.length > 0
            ? html`<dl>
                ${details.map(
                  ([label, value]) =>
                    html`<dt>${label}</dt>
                      <dd><code>${value}</code></dd>`,
                )}
              </dl>`
            : ''
        }
      </div>
      <p><a href="/">Back to the start page</a></p>`,
  );
}
