import { countIn, durationsIn } from './durations.js';

const { hours, minutes, wait } = durationsIn('en');
const count = countIn('en');

/**
 * Every text of the hosted pages and the mails, in English. `messages-de.ts` has the same keys (the
 * compiler checks it); a page or mail never carries text of its own. Functions take what varies.
 */
export const en = {
  language: {
    name: 'English',
    switchLabel: 'Language',
  },
  common: {
    errorTitle: (title: string) => `Error: ${title}`,
    cancel: 'Cancel',
    continue: 'Continue',
    backTo: (application: string) => `Back to ${application}`,
    backToLogin: 'Back to login',
    startAgain: 'Start again',
    show: 'Show',
    hide: 'Hide',
    copy: 'Copy',
    copied: 'Copied',
    errorCode: 'Error code',
  },
  login: {
    title: 'Log in',
    continueTo: 'to continue to',
    tenantId: 'Tenant ID',
    tenantIdHint: 'Part of your portal address, e.g. 123456.sms',
    login: 'Username or e-mail',
    password: 'Password',
    submit: 'Log in',
    forgot: 'Password forgotten?',
    failed: 'The Tenant ID, username or password is wrong, or the account is disabled.',
    throttled: (retryAfterSeconds: number) =>
      `Too many failed attempts. Try again in ${wait(retryAfterSeconds)}.`,
    confirmForEnrolment: 'Two-factor authentication must be set up. Confirm your password to continue.',
    upstreamButton: (name: string) => `Log in with ${name}`,
    upstreamHint: 'For accounts linked to it: no password needed here.',
  },
  upstream: {
    unavailableTitle: 'Reseller Portal unreachable',
    unavailable: 'The Reseller Portal cannot be reached; try again later.',
    back: 'Back to the login',
    expiredTitle: 'Login expired',
    expired: 'This login has expired or was already finished. Start again from your application.',
    mfaTitle: 'Two-factor authentication required',
    mfaRequired: (name: string) => `Your ${name} account must use two-factor authentication to log in here.`,
    mfaHowTo: (name: string) =>
      `Turn on two-factor authentication in ${name}, then log in again with the button "Log in with ${name}".`,
    openPortal: (name: string) => `Open ${name}`,
  },
  accountLink: {
    label: 'RSP',
    linkedTo: (name: string) => `Linked to ${name}`,
    managedThere: (name: string) => `Your password and two-factor authentication are managed in ${name}.`,
    openPortal: (name: string) => `Open ${name}`,
    offer: (name: string) =>
      `Log in with your ${name} account instead of a password here: its password and two-factor authentication then apply.`,
    link: 'Link Reseller Portal account',
    failed: 'The Reseller Portal did not confirm the login. Nothing was linked.',
    taken: 'That Reseller Portal account is linked to another user.',
  },
  forms: {
    missingTenantId: 'Enter your Tenant ID.',
    missingLogin: 'Enter your username or e-mail.',
    missingPassword: 'Enter your password (at most 1024 characters).',
    missingNewPassword: 'Enter a new password (at most 1024 characters).',
    missingRepeat: 'Repeat the new password.',
    mismatch: 'The two passwords do not match.',
    formExpired: 'The form has expired. Reload the page and try again.',
    formIncomplete: 'The form is incomplete.',
    missingCurrentPassword: 'Enter your current password.',
    unknownLanguage: 'Choose one of the languages offered.',
    missingEmail: 'Enter the new e-mail address.',
  },
  roleMissing: {
    title: 'Access not allowed',
    message: (application: string) =>
      `Your account may not use ${application}. Ask your administrator to assign the required role.`,
  },
  mfaRequired: {
    title: 'Two-factor authentication must be activated',
    intro:
      'Your account must use two-factor authentication. Activate it now to finish logging in: you need an authenticator app on your phone, such as Google Authenticator, Microsoft Authenticator or FreeOTP.',
    enable: 'Enable 2FA',
  },
  enrol: {
    title: 'Enable two-factor authentication',
    scan: 'Scan this QR code with an authenticator app, such as Google Authenticator, Microsoft Authenticator or FreeOTP.',
    onThisPhone: 'On the phone with the app?',
    openInApp: 'Open in authenticator app',
    qrAlt: 'QR code for your authenticator app',
    byHand:
      'Cannot scan it? Add an entry by hand with this secret key (time-based, 6 digits, every 30 seconds):',
    secretLabel: 'Secret key',
    showsAs: 'The app will show it as',
    enterCode: 'Then enter the 6-digit code the app shows.',
    codeLabel: 'Authentication code',
    activate: 'Activate',
    restart: 'Start the activation again.',
  },
  recoveryCodes: {
    title: 'Your recovery codes',
    intro:
      'Two-factor authentication is active. If you lose your phone, each of these codes lets you log in once.',
    storeNow: 'Store them somewhere safe now: they are shown only on this page.',
    listLabel: 'Recovery codes',
    download: 'Download',
    print: 'Print',
    stored: 'I have stored these codes',
    mustConfirm: 'Confirm that you have stored the codes before you continue.',
    fileName: 'recovery-codes.txt',
    fileHeading: (product: string) => `${product}: recovery codes`,
    fileAccount: (username: string, tenantId: string) => `Account: ${username}, Tenant ID ${tenantId}`,
    fileCreated: (date: string) => `Created: ${date}`,
    fileUse: 'Each code works once, in place of the authentication code.',
  },
  verify: {
    title: 'Two-factor authentication',
    prompt: 'Enter the 6-digit code from your authenticator app.',
    codeLabel: 'Authentication code',
    submit: 'Verify',
    useRecoveryCode: 'Use a recovery code',
    recoveryPrompt:
      'Lost your phone? Enter one of your recovery codes (like ABCD-EFGH-JKMN). Each recovery code works once.',
    recoveryLabel: 'Recovery code',
    useAuthenticator: 'Use the authentication code instead',
    noCodesLeft: 'No codes left? Ask your administrator to reset your two-factor authentication.',
    invalidCode: 'Invalid authentication code',
    invalidRecoveryCode: 'Invalid recovery code',
    throttled: (retryAfterSeconds: number) =>
      `Too many wrong codes. Try again in ${wait(retryAfterSeconds)}.`,
  },
  passkeys: {
    verifyTitle: 'Confirm with your passkey',
    verifyPrompt:
      "Use your passkey (a security key, or your device's fingerprint, face or PIN) to confirm it is you.",
    usePasskey: 'Use your passkey',
    unsupported:
      'This browser cannot use passkeys. Use a code from your authenticator app or a recovery code instead.',
    cancelled: 'The passkey was not used. Try again, or choose another way.',
    useCode: 'Use a code from your authenticator app instead',
    usePasskeyInstead: 'Use your passkey instead',
    refused: 'This passkey could not be confirmed. Try again, or choose another way.',
    defaultName: 'Passkey',
    enrolIntro:
      "Use a passkey: a security key, or your device's fingerprint, face or PIN. It cannot be phished like a code.",
    enrol: 'Use a passkey',
    orApp: 'Or use an authenticator app:',
    signIn: 'Sign in with a passkey',
    phishingResistant: 'Your organisation requires a passkey for this account: codes are not accepted.',
    phishingResistantEnrol:
      'Your organisation requires a passkey for this account, because codes can be phished. Add one now to finish logging in.',
    codeNotAccepted: 'Your organisation requires a passkey for this account: codes are not accepted.',
    proveFirst:
      'Your organisation now requires a passkey for this account. Confirm it is you with your code once more, then add a passkey.',
    signInFailed: 'Signing in with this passkey did not work. Try again, or log in with your password.',
  },
  secondFactorDone: {
    titleActive: 'Two-factor authentication is active',
    titleLow: 'Few recovery codes left',
    confirmed: 'Your second factor is confirmed.',
    lowCodes: (left: number) =>
      `You have ${left} recovery ${left === 1 ? 'code' : 'codes'} left. Create new ones now, so you can still log in if you lose your phone.`,
    createNew: 'Create new recovery codes',
  },
  consent: {
    title: 'Allow access?',
    asks: (application: string, account: string) =>
      `${application} asks for access to your account ${account}:`,
    notOperatedBy: (product: string) =>
      `This application is not operated by ${product}. Allow it only if you trust it.`,
    allow: 'Allow',
    deny: 'Deny',
    scopes: {
      openid: 'Confirm who you are',
      profile: 'Your username and name',
      email: 'Your e-mail address',
      tenant: 'Your Tenant ID and tenant name',
      roles: 'Your roles and permissions',
      offline_access: 'Stay connected while you are away (refresh tokens)',
    } as Record<string, string>,
    resourceScope: (scope: string, resource: string) => `${scope} at ${resource}`,
  },
  logout: {
    title: 'Log out',
    question: 'Do you want to log out?',
    questionFrom: (application: string) => `Do you want to log out of ${application}?`,
    yes: 'Yes, log me out',
    no: 'No, stay logged in',
    doneTitle: 'Logged out',
    done: 'You are logged out.',
    doneFrom: (application: string) => `You are logged out of ${application}.`,
  },
  forgot: {
    title: 'Password forgotten?',
    intro:
      'Enter your Tenant ID and your username or e-mail address. If the account exists, we send a link to choose a new password to its e-mail address.',
    submit: 'Send reset e-mail',
    sentTitle: 'Check your e-mail',
    sent: 'If an account with these details exists, we have sent an e-mail with a link to choose a new password. The link works once and expires soon.',
    sentHint:
      'No e-mail? Check the spam folder, and that the Tenant ID and username are right. Your administrator can also set a new password.',
  },
  reset: {
    title: 'Choose a new password',
    hint: (minLength: number) =>
      `Use at least ${minLength} characters: a long passphrase of several words is best. Spaces and any characters are welcome.`,
    newPassword: 'New password',
    repeat: 'Repeat new password',
    submit: 'Set password',
    invalidLinkTitle: 'This link does not work',
    invalidLink: 'This link is invalid or has expired. Request a new one.',
    requestNew: 'Request a new link',
    changedTitle: 'Password changed',
    changed:
      'Your password was changed and all your sessions were ended. Log in again with your new password.',
  },
  passwordPolicy: {
    tooShort: (minLength: number) => `The password must have at least ${minLength} characters.`,
    tooLong: (maxLength: number) => `The password must have at most ${maxLength} characters.`,
    common: 'This password is one of the most common passwords from data breaches. Choose another.',
    containsUsername: 'The password must not contain your username.',
    containsEmail: 'The password must not contain your e-mail address.',
    containsTenantId: 'The password must not contain your Tenant ID.',
  },
  errors: {
    title: 'We could not continue',
    serverError: 'Something went wrong on our side. Try again in a moment.',
    sessionExpired:
      'Your login session has expired or was not found. Go back to the application and log in again.',
    unknownApplication:
      'The application you came from is not known here. Go back to it and try again, or contact its operator.',
    redirectNotRegistered:
      'The application asked to send you to an address it has not registered, so we stopped here. Contact its operator.',
    badRequest: 'The application sent a request we cannot handle. Go back to it and try again.',
    tooManyAttempts: 'Too many attempts. Wait a few minutes, then try again.',
    formRejected:
      'This form was sent from another site or has expired. Go back, reload the page and try again.',
    tooLarge: 'The request is too large.',
    notFound: 'This page does not exist.',
    accessDenied: 'The login was cancelled.',
    stepUnavailable: 'This step of the login is not available now. Go back and reload the page.',
    outOfDate: 'This login page is out of date. Start again.',
    passwordFirst: 'Enter your Tenant ID, username and password first.',
    accountUnavailable: 'This account can no longer log in. Start again.',
  },
  account: {
    title: 'User options',
    accountHeading: 'Your account',
    username: 'Username',
    name: 'Name',
    email: 'E-mail',
    tenantId: 'Tenant ID',
    tenantName: 'Tenant',
    roles: 'Roles',
    noRoles: 'none',
    passwordHeading: 'Password',
    passwordIntro: 'Change the password you log in with. Your other sessions then end.',
    changePassword: 'Change password',
    passwordTitle: 'Change password',
    currentPassword: 'Current password',
    newPassword: 'New password',
    repeat: 'Repeat new password',
    wrongCurrentPassword: 'The current password is wrong.',
    back: 'Back to User options',
    twoFactorHeading: 'Two-factor authentication',
    twoFactorOff:
      'Two-factor authentication is off. Turn it on, and every login asks for a code from your phone as well.',
    activeSince: (date: string) => `Active since ${date}.`,
    codesLeft: (left: number) => `${count(left, { one: 'recovery code', other: 'recovery codes' })} left.`,
    replaceAuthenticator: 'Replace authenticator',
    newRecoveryCodes: 'New recovery codes',
    turnOff: 'Turn off 2FA',
    required: 'Your account must use two-factor authentication, so it cannot be turned off.',
    replaceTitle: 'Replace authenticator',
    replaceIntro:
      'Set up the new app with this QR code or secret. Your old app keeps working until you enter a code from the new one.',
    turnOffTitle: 'Turn off two-factor authentication?',
    turnOffWarning:
      'Logins will then ask only for your password, and your recovery codes stop working. You can turn it on again at any time.',
    languageHeading: 'Language',
    languageIntro: 'The language of these pages and of the e-mails we send you.',
    saveLanguage: 'Save language',
    logOut: 'Log out',
    signInsHeading: 'Recent sign-ins',
    signInsCaption: 'Your latest sign-in attempts, newest first. Times are in UTC.',
    signInsNone: 'No sign-ins recorded yet.',
    when: 'When',
    result: 'Result',
    ipAddress: 'IP address',
    browser: 'Browser',
    unknownBrowser: 'Unknown browser',
    browserOn: (browser: string, platform: string) => `${browser} on ${platform}`,
    unknownValue: 'unknown',
    signInOutcomes: {
      passwordAccepted: 'Password accepted',
      wrongPassword: 'Wrong password',
      refused: 'Login refused',
      codeAccepted: 'Code accepted',
      recoveryCodeUsed: 'Recovery code used',
      wrongCode: 'Wrong code',
      codeAlreadyUsed: 'Code already used',
      wrongRecoveryCode: 'Wrong or used recovery code',
      throttled: 'Too many attempts',
      failed: 'Failed',
    },
    sessionsHeading: 'Sessions',
    sessionsIntro:
      'The browsers where you are signed in. If you do not recognise one, sign it out and change your password.',
    sessionsCaption: 'Your active sessions, this browser first. Times are in UTC.',
    sessionStarted: 'Started',
    sessionLastUsed: 'Last used',
    thisBrowser: 'This browser',
    signOutSession: 'Sign out',
    signOutOthers: 'Sign out everywhere else',
    signOutOthersHint:
      'Ends every other session, and the sign-ins of applications that could still renew them from elsewhere.',
    done: {
      password: 'Your password was changed. Your other sessions have ended.',
      language: 'Your language was saved.',
      twoFactorOn: 'Two-factor authentication is on.',
      authenticatorReplaced: 'Your new authenticator app is set up. Codes from the old app no longer work.',
      recoveryCodes: 'Your new recovery codes are active. The old ones no longer work.',
      twoFactorOff: 'Two-factor authentication is off.',
      sessionEnded: 'The session was signed out.',
      otherSessionsEnded: 'All your other sessions were signed out.',
      emailLinkSent: 'We sent you a link. Open it within 24 hours to confirm the address.',
      linked: 'Your account is linked to the Reseller Portal. Log in with it from now on.',
      passkeyAdded: 'Your passkey was added.',
      passkeyRenamed: 'Your passkey was renamed.',
      passkeyRemoved: 'Your passkey was removed.',
    },
  },
  accountPasskeys: {
    heading: 'Passkeys',
    intro:
      "A passkey confirms it is you with a security key, or with your device's fingerprint, face or PIN. It cannot be phished like a code.",
    none: 'You have no passkey yet.',
    caption: 'Your passkeys',
    name: 'Name',
    created: 'Added',
    lastUsed: 'Last used',
    neverUsed: 'never',
    synced: 'synced',
    add: 'Add a passkey',
    addTitle: 'Add a passkey',
    addIntro:
      'Give the passkey a name you will recognise, such as "YubiKey" or "Laptop", then follow your browser.',
    nameLabel: 'Name of the passkey',
    nameMissing: 'Enter a name for the passkey (up to 64 characters).',
    unsupported: 'This browser cannot create passkeys.',
    newName: (name: string) => `New name for ${name}`,
    appOff: 'You use passkeys as your second factor. An authenticator app is not set up.',
    rename: 'Rename',
    remove: 'Remove',
    lastFactor:
      'This is your last second factor, and your account must have one. Add another passkey or an authenticator app first.',
  },
  accountEmail: {
    verified: 'verified',
    unverified: 'not verified',
    change: 'Change e-mail',
    verify: 'Verify e-mail',
    pending: (email: string) => `A link was sent to ${email}. Your address changes when you open it.`,
    title: 'Change e-mail',
    intro:
      'We send a link to the new address. The change applies when you open it; until then your current address stays.',
    newAddress: 'New e-mail address',
    send: 'Send verification link',
    unavailable: 'This address cannot be used.',
    throttled: (seconds: number) => `Too many e-mails. Try again in ${wait(seconds)}.`,
    confirmTitle: 'Confirm your e-mail address',
    confirmIntro: (email: string) => `Confirm that ${email} is the e-mail address of your account.`,
    confirm: 'Confirm e-mail address',
    confirmedTitle: 'E-mail address confirmed',
    confirmed: (email: string) => `${email} is now the verified e-mail address of your account.`,
    invalidTitle: 'Link invalid or expired',
    invalid:
      'This link is invalid, was used already, or has expired. Ask for a new one on your account page.',
    toAccount: 'Go to User options',
  },
  start: {
    title: 'Log in through your application',
    intro: (product: string) =>
      `This is the login service of ${product}. Open the application you want to use, such as the Mobile Security Portal, and choose to log in there.`,
  },
  mail: {
    greeting: (name: string) => `Hello ${name},`,
    notYou: 'If this was not you, contact your administrator at once.',
    passwordReset: {
      subject: 'Reset your password',
      intro: (product: string, tenant: string) =>
        `someone asked to reset the password of your ${product} account in "${tenant}".`,
      openWithin: (validMinutes: number) =>
        `To choose a new password, open this link within ${minutes(validMinutes)}:`,
      linkText: 'Choose a new password',
      once: 'The link works once. If you did not ask for this, ignore this e-mail: your password stays as it is.',
      keepsSecondFactor: 'Resetting the password does not turn off two-factor authentication.',
    },
    passwordChanged: {
      subject: 'Your password was changed',
      body: (product: string, tenant: string, when: string) =>
        `the password of your ${product} account in "${tenant}" was changed on ${when}.`,
      sessionsEnded: 'All your sessions were ended; log in again with the new password.',
    },
    emailVerification: {
      subject: 'Confirm your e-mail address',
      intro: (product: string, tenant: string, email: string) =>
        `please confirm that ${email} is the e-mail address of your ${product} account in "${tenant}".`,
      openWithin: (validHours: number) => `Open this link within ${hours(validHours)}:`,
      linkText: 'Confirm e-mail address',
      notAsked: 'If you did not ask for this, ignore this e-mail: nothing changes.',
    },
    accountLinked: {
      subject: 'Your account was linked to the Reseller Portal',
      body: (product: string, tenant: string, upstream: string, when: string) =>
        `on ${when} your ${product} account in "${tenant}" was linked to ${upstream}. From now on you log in with "Log in with ${upstream}"; your password and two-factor authentication are managed there. Your sessions here were ended.`,
    },
    passwordManagedUpstream: {
      subject: 'Your password is managed in the Reseller Portal',
      body: (product: string, tenant: string, upstream: string) =>
        `someone asked to reset the password of your ${product} account in "${tenant}". Your account is linked to ${upstream}: its password and two-factor authentication are managed there, not here.`,
      whereToGo: (upstream: string) => `To change or reset your password, go to ${upstream}:`,
      notAsked: 'If you did not ask for this, you can ignore this e-mail.',
    },
    emailChangeRequested: {
      subject: 'A change of your e-mail address was requested',
      body: (product: string, tenant: string, newEmail: string, when: string) =>
        `on ${when} someone asked to change the e-mail address of your ${product} account in "${tenant}" to ${newEmail}. It changes only when the link sent to that address is opened.`,
    },
    secondFactorChanged: {
      subject: 'Your two-factor authentication changed',
      enabled: (product: string, tenant: string, when: string) =>
        `two-factor authentication was turned on for your ${product} account in "${tenant}" on ${when}. From now on every login asks for a code from your authenticator app.`,
      reset: (product: string, tenant: string, when: string) =>
        `an administrator removed the two-factor authentication of your ${product} account in "${tenant}" on ${when}. Your next login will ask you to set it up again, and all your sessions were ended.`,
      replaced: (product: string, tenant: string, when: string) =>
        `a new authenticator app was set up for your ${product} account in "${tenant}" on ${when}. Codes from the old app no longer work.`,
      recoveryCodes: (product: string, tenant: string, when: string) =>
        `new recovery codes were created for your ${product} account in "${tenant}" on ${when}. The old ones no longer work.`,
      disabled: (product: string, tenant: string, when: string) =>
        `two-factor authentication was turned off for your ${product} account in "${tenant}" on ${when}. Logins now ask only for your password.`,
      passkeyAdded: (product: string, tenant: string, when: string) =>
        `a passkey was added to your ${product} account in "${tenant}" on ${when}. It can now be used to sign in.`,
      passkeyRemoved: (product: string, tenant: string, when: string) =>
        `a passkey was removed from your ${product} account in "${tenant}" on ${when}. It no longer works for signing in.`,
    },
  },
};

/** The shape every language follows: the same keys, with strings and functions of the same arguments. */
type Widen<T> = T extends string
  ? string
  : T extends (...args: infer A) => string
    ? (...args: A) => string
    : { [K in keyof T]: Widen<T[K]> };

export type Messages = Widen<typeof en>;
