import QRCode from 'qrcode';
import { groupForTyping } from '../src/domain/mfa/totp.js';
import type { MfaService } from '../src/domain/mfa/mfa-service.js';
import type { Messages } from '../src/i18n/catalogue.js';
import type { TenantRecord } from '../src/domain/tenants/tenant.js';
import type { UserRecord } from '../src/domain/users/user.js';

/**
 * What the enrolment page shows of a pending secret, wherever it is enrolled (the login, the account
 * page): the QR code, the `otpauth://` link for the same phone, and the secret grouped for typing.
 */
export async function enrolmentView(mfa: MfaService, t: Messages, user: UserRecord, sealedSecret: string) {
  const view = mfa.enrolmentView(user, sealedSecret);
  return {
    title: t.enrol.title,
    qrCode: await QRCode.toDataURL(view.otpauthUri, { errorCorrectionLevel: 'M', margin: 1, width: 220 }),
    otpauthUri: view.otpauthUri,
    secret: view.secret,
    secretGroups: groupForTyping(view.secret).split(' '),
    issuer: view.issuer,
    label: view.label,
  };
}

/**
 * New recovery codes as the page shows them: with Copy, and a Download file naming the product, the
 * account and the date.
 */
export function recoveryCodesView(
  t: Messages,
  productName: string,
  account: { user: UserRecord; tenant: TenantRecord },
  codes: string[],
  today: Date,
) {
  const file = [
    t.recoveryCodes.fileHeading(productName),
    t.recoveryCodes.fileAccount(account.user.username, account.tenant.id),
    t.recoveryCodes.fileCreated(today.toISOString().slice(0, 10)),
    '',
    ...codes,
    '',
    t.recoveryCodes.fileUse,
    '',
  ].join('\n');
  return {
    title: t.recoveryCodes.title,
    codes,
    codesText: codes.join('\n'),
    downloadHref: `data:text/plain;charset=utf-8,${encodeURIComponent(file)}`,
  };
}
