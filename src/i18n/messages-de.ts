import { countIn, durationsIn } from './durations.js';
import type { Messages } from './messages-en.js';

/** Every text of the hosted pages and the mails, in German: formal "Sie", as Securepoint writes. */
const { days: tage, hours: stunden, minutes: minuten, wait: warten } = durationsIn('de');
const anzahl = countIn('de');

export const de: Messages = {
  language: {
    name: 'Deutsch',
    switchLabel: 'Sprache',
  },
  common: {
    errorTitle: (title) => `Fehler: ${title}`,
    cancel: 'Abbrechen',
    continue: 'Weiter',
    backTo: (application) => `Zurück zu ${application}`,
    backToLogin: 'Zurück zur Anmeldung',
    startAgain: 'Neu beginnen',
    show: 'Anzeigen',
    hide: 'Verbergen',
    copy: 'Kopieren',
    copied: 'Kopiert',
    errorCode: 'Fehlercode',
  },
  login: {
    title: 'Anmelden',
    continueTo: 'weiter zu',
    tenantId: 'Mandanten-ID',
    tenantIdHint: 'Teil Ihrer Portal-Adresse, z. B. 123456.sms',
    login: 'Benutzername oder E-Mail-Adresse',
    password: 'Passwort',
    submit: 'Anmelden',
    forgot: 'Passwort vergessen?',
    failed: 'Die Mandanten-ID, der Benutzername oder das Passwort ist falsch, oder das Konto ist gesperrt.',
    throttled: (retryAfterSeconds) =>
      `Zu viele fehlgeschlagene Versuche. Versuchen Sie es in ${warten(retryAfterSeconds)} erneut.`,
    confirmForEnrolment:
      'Die Zwei-Faktor-Authentifizierung muss eingerichtet werden. Bestätigen Sie dazu Ihr Passwort.',
    upstreamButton: (name) => `Mit ${name} anmelden`,
    upstreamHint: 'Für damit verknüpfte Konten: Hier ist kein Passwort nötig.',
  },
  upstream: {
    unavailableTitle: 'Reseller Portal nicht erreichbar',
    unavailable: 'Das Reseller Portal ist nicht erreichbar; versuchen Sie es später erneut.',
    back: 'Zurück zur Anmeldung',
    expiredTitle: 'Anmeldung abgelaufen',
    expired:
      'Diese Anmeldung ist abgelaufen oder wurde schon abgeschlossen. Beginnen Sie erneut in Ihrer Anwendung.',
    mfaTitle: 'Zwei-Faktor-Authentifizierung erforderlich',
    mfaRequired: (name) =>
      `Ihr ${name}-Konto muss die Zwei-Faktor-Authentifizierung verwenden, um sich hier anzumelden.`,
    mfaHowTo: (name) =>
      `Schalten Sie die Zwei-Faktor-Authentifizierung in ${name} ein und melden Sie sich dann erneut mit der Schaltfläche „Mit ${name} anmelden“ an.`,
    openPortal: (name) => `${name} öffnen`,
  },
  accountLink: {
    label: 'RSP',
    linkedTo: (name) => `Verknüpft mit ${name}`,
    managedThere: (name) =>
      `Ihr Passwort und Ihre Zwei-Faktor-Authentifizierung werden in ${name} verwaltet.`,
    openPortal: (name) => `${name} öffnen`,
    offer: (name) =>
      `Melden Sie sich mit Ihrem ${name}-Konto statt mit einem Passwort hier an: Dann gelten dessen Passwort und Zwei-Faktor-Authentifizierung.`,
    link: 'Reseller-Portal-Konto verknüpfen',
    failed: 'Das Reseller Portal hat die Anmeldung nicht bestätigt. Es wurde nichts verknüpft.',
    taken: 'Dieses Reseller-Portal-Konto ist mit einem anderen Benutzer verknüpft.',
  },
  forms: {
    missingTenantId: 'Geben Sie Ihre Mandanten-ID ein.',
    missingLogin: 'Geben Sie Ihren Benutzernamen oder Ihre E-Mail-Adresse ein.',
    missingPassword: 'Geben Sie Ihr Passwort ein (höchstens 1024 Zeichen).',
    missingNewPassword: 'Geben Sie ein neues Passwort ein (höchstens 1024 Zeichen).',
    missingRepeat: 'Wiederholen Sie das neue Passwort.',
    mismatch: 'Die beiden Passwörter stimmen nicht überein.',
    formExpired: 'Das Formular ist abgelaufen. Laden Sie die Seite neu und versuchen Sie es erneut.',
    formIncomplete: 'Das Formular ist unvollständig.',
    missingCurrentPassword: 'Geben Sie Ihr aktuelles Passwort ein.',
    missingEmail: 'Geben Sie die neue E-Mail-Adresse ein.',
    unknownLanguage: 'Wählen Sie eine der angebotenen Sprachen.',
  },
  roleMissing: {
    title: 'Zugriff nicht erlaubt',
    message: (application) =>
      `Ihr Konto darf ${application} nicht verwenden. Bitten Sie Ihren Administrator, Ihnen die nötige Rolle zuzuweisen.`,
  },
  mfaRequired: {
    title: 'Zwei-Faktor-Authentifizierung muss aktiviert werden',
    intro:
      'Ihr Konto muss die Zwei-Faktor-Authentifizierung verwenden. Aktivieren Sie sie jetzt, um die Anmeldung abzuschließen. Sie benötigen dafür eine Authenticator-App auf Ihrem Smartphone, zum Beispiel Google Authenticator, Microsoft Authenticator oder FreeOTP.',
    enable: '2FA aktivieren',
  },
  enrol: {
    title: 'Zwei-Faktor-Authentifizierung aktivieren',
    scan: 'Scannen Sie diesen QR-Code mit einer Authenticator-App, zum Beispiel Google Authenticator, Microsoft Authenticator oder FreeOTP.',
    onThisPhone: 'Ist die App auf diesem Smartphone?',
    openInApp: 'In der Authenticator-App öffnen',
    qrAlt: 'QR-Code für Ihre Authenticator-App',
    byHand:
      'Scannen nicht möglich? Legen Sie einen Eintrag von Hand mit diesem geheimen Schlüssel an (zeitbasiert, 6 Ziffern, alle 30 Sekunden):',
    secretLabel: 'Geheimer Schlüssel',
    showsAs: 'Die App zeigt den Eintrag als',
    enterCode: 'Geben Sie danach den 6-stelligen Code ein, den die App anzeigt.',
    codeLabel: 'Authentifizierungscode',
    activate: 'Aktivieren',
    restart: 'Beginnen Sie die Aktivierung erneut.',
  },
  recoveryCodes: {
    title: 'Ihre Wiederherstellungscodes',
    intro:
      'Die Zwei-Faktor-Authentifizierung ist aktiv. Falls Sie Ihr Smartphone verlieren, können Sie sich mit jedem dieser Codes einmal anmelden.',
    storeNow: 'Bewahren Sie die Codes jetzt sicher auf: Sie werden nur auf dieser Seite angezeigt.',
    listLabel: 'Wiederherstellungscodes',
    download: 'Herunterladen',
    print: 'Drucken',
    stored: 'Ich habe diese Codes sicher aufbewahrt',
    mustConfirm: 'Bestätigen Sie, dass Sie die Codes aufbewahrt haben, bevor Sie fortfahren.',
    fileName: 'wiederherstellungscodes.txt',
    fileHeading: (product) => `${product}: Wiederherstellungscodes`,
    fileAccount: (username, tenantId) => `Konto: ${username}, Mandanten-ID ${tenantId}`,
    fileCreated: (date) => `Erstellt: ${date}`,
    fileUse: 'Jeder Code funktioniert einmal, anstelle des Authentifizierungscodes.',
  },
  verify: {
    title: 'Zwei-Faktor-Authentifizierung',
    prompt: 'Geben Sie den 6-stelligen Code aus Ihrer Authenticator-App ein.',
    codeLabel: 'Authentifizierungscode',
    submit: 'Bestätigen',
    useRecoveryCode: 'Wiederherstellungscode verwenden',
    recoveryPrompt:
      'Smartphone verloren? Geben Sie einen Ihrer Wiederherstellungscodes ein (zum Beispiel ABCD-EFGH-JKMN). Jeder Wiederherstellungscode funktioniert einmal.',
    recoveryLabel: 'Wiederherstellungscode',
    useAuthenticator: 'Stattdessen den Authentifizierungscode verwenden',
    noCodesLeft:
      'Keine Codes mehr? Bitten Sie Ihren Administrator, Ihre Zwei-Faktor-Authentifizierung zurückzusetzen.',
    invalidCode: 'Ungültiger Authentifizierungscode',
    invalidRecoveryCode: 'Ungültiger Wiederherstellungscode',
    throttled: (retryAfterSeconds) =>
      `Zu viele falsche Codes. Versuchen Sie es in ${warten(retryAfterSeconds)} erneut.`,
  },
  passkeys: {
    verifyTitle: 'Mit Ihrem Passkey bestätigen',
    verifyPrompt:
      'Bestätigen Sie mit Ihrem Passkey (einem Sicherheitsschlüssel oder Fingerabdruck, Gesicht oder PIN Ihres Geräts), dass Sie es sind.',
    usePasskey: 'Passkey verwenden',
    unsupported:
      'Dieser Browser kann keine Passkeys verwenden. Nutzen Sie stattdessen einen Code aus Ihrer Authenticator-App oder einen Wiederherstellungscode.',
    cancelled:
      'Der Passkey wurde nicht verwendet. Versuchen Sie es erneut oder wählen Sie einen anderen Weg.',
    useCode: 'Stattdessen einen Code aus der Authenticator-App verwenden',
    usePasskeyInstead: 'Stattdessen den Passkey verwenden',
    refused:
      'Dieser Passkey konnte nicht bestätigt werden. Versuchen Sie es erneut oder wählen Sie einen anderen Weg.',
    defaultName: 'Passkey',
    enrolIntro:
      'Verwenden Sie einen Passkey: einen Sicherheitsschlüssel oder Fingerabdruck, Gesicht oder PIN Ihres Geräts. Anders als ein Code lässt er sich nicht abfischen.',
    enrol: 'Passkey verwenden',
    orApp: 'Oder verwenden Sie eine Authenticator-App:',
    signIn: 'Mit einem Passkey anmelden',
    phishingResistant:
      'Ihre Organisation verlangt für dieses Konto einen Passkey: Codes werden nicht angenommen.',
    phishingResistantEnrol:
      'Ihre Organisation verlangt für dieses Konto einen Passkey, weil Codes abgefischt werden können. Fügen Sie jetzt einen hinzu, um die Anmeldung abzuschließen.',
    codeNotAccepted:
      'Ihre Organisation verlangt für dieses Konto einen Passkey: Codes werden nicht angenommen.',
    proveFirst:
      'Ihre Organisation verlangt für dieses Konto jetzt einen Passkey. Bestätigen Sie noch einmal mit Ihrem Code, dass Sie es sind, und fügen Sie dann einen Passkey hinzu.',
    signInFailed:
      'Die Anmeldung mit diesem Passkey hat nicht funktioniert. Versuchen Sie es erneut oder melden Sie sich mit Ihrem Passwort an.',
  },
  secondFactorDone: {
    titleActive: 'Die Zwei-Faktor-Authentifizierung ist aktiv',
    titleLow: 'Nur noch wenige Wiederherstellungscodes',
    confirmed: 'Ihr zweiter Faktor ist bestätigt.',
    lowCodes: (left) =>
      `Sie haben nur noch ${left} ${left === 1 ? 'Wiederherstellungscode' : 'Wiederherstellungscodes'}. Erstellen Sie jetzt neue, damit Sie sich auch ohne Ihr Smartphone anmelden können.`,
    createNew: 'Neue Wiederherstellungscodes erstellen',
  },
  consent: {
    title: 'Zugriff erlauben?',
    asks: (application, account) => `${application} bittet um Zugriff auf Ihr Konto ${account}:`,
    notOperatedBy: (product) =>
      `Diese Anwendung wird nicht von ${product} betrieben. Erlauben Sie den Zugriff nur, wenn Sie ihr vertrauen.`,
    allow: 'Erlauben',
    deny: 'Ablehnen',
    scopes: {
      openid: 'Bestätigen, wer Sie sind',
      profile: 'Ihr Benutzername und Ihr Name',
      email: 'Ihre E-Mail-Adresse',
      tenant: 'Ihre Mandanten-ID und der Name des Mandanten',
      roles: 'Ihre Rollen und Berechtigungen',
      offline_access: 'Verbunden bleiben, während Sie abwesend sind (Refresh-Tokens)',
    },
    resourceScope: (scope, resource) => `${scope} bei ${resource}`,
  },
  logout: {
    title: 'Abmelden',
    question: 'Möchten Sie sich abmelden?',
    questionFrom: (application) => `Möchten Sie sich von ${application} abmelden?`,
    yes: 'Ja, abmelden',
    no: 'Nein, angemeldet bleiben',
    doneTitle: 'Abgemeldet',
    done: 'Sie sind abgemeldet.',
    doneFrom: (application) => `Sie sind von ${application} abgemeldet.`,
  },
  forgot: {
    title: 'Passwort vergessen?',
    intro:
      'Geben Sie Ihre Mandanten-ID und Ihren Benutzernamen oder Ihre E-Mail-Adresse ein. Wenn das Konto existiert, senden wir einen Link zum Festlegen eines neuen Passworts an dessen E-Mail-Adresse.',
    submit: 'E-Mail zum Zurücksetzen senden',
    sentTitle: 'Prüfen Sie Ihre E-Mails',
    sent: 'Falls ein Konto mit diesen Angaben existiert, haben wir eine E-Mail mit einem Link zum Festlegen eines neuen Passworts gesendet. Der Link funktioniert einmal und läuft bald ab.',
    sentHint:
      'Keine E-Mail erhalten? Prüfen Sie den Spam-Ordner und ob Mandanten-ID und Benutzername stimmen. Auch Ihr Administrator kann ein neues Passwort setzen.',
  },
  reset: {
    title: 'Neues Passwort festlegen',
    hint: (minLength) =>
      `Verwenden Sie mindestens ${minLength} Zeichen: Am besten ist eine lange Passphrase aus mehreren Wörtern. Leerzeichen und beliebige Zeichen sind erlaubt.`,
    newPassword: 'Neues Passwort',
    repeat: 'Neues Passwort wiederholen',
    submit: 'Passwort festlegen',
    invalidLinkTitle: 'Dieser Link funktioniert nicht',
    invalidLink: 'Dieser Link ist ungültig oder abgelaufen. Fordern Sie einen neuen an.',
    requestNew: 'Neuen Link anfordern',
    changedTitle: 'Passwort geändert',
    changed:
      'Ihr Passwort wurde geändert, und alle Ihre Sitzungen wurden beendet. Melden Sie sich mit Ihrem neuen Passwort erneut an.',
  },
  passwordPolicy: {
    tooShort: (minLength) => `Das Passwort muss mindestens ${minLength} Zeichen haben.`,
    tooLong: (maxLength) => `Das Passwort darf höchstens ${maxLength} Zeichen haben.`,
    common: 'Dieses Passwort gehört zu den häufigsten Passwörtern aus Datenlecks. Wählen Sie ein anderes.',
    containsUsername: 'Das Passwort darf Ihren Benutzernamen nicht enthalten.',
    containsEmail: 'Das Passwort darf Ihre E-Mail-Adresse nicht enthalten.',
    containsTenantId: 'Das Passwort darf Ihre Mandanten-ID nicht enthalten.',
  },
  errors: {
    title: 'Wir konnten nicht fortfahren',
    serverError: 'Bei uns ist ein Fehler aufgetreten. Versuchen Sie es gleich noch einmal.',
    sessionExpired:
      'Ihre Anmeldesitzung ist abgelaufen oder wurde nicht gefunden. Kehren Sie zur Anwendung zurück und melden Sie sich erneut an.',
    unknownApplication:
      'Die Anwendung, von der Sie kommen, ist hier nicht bekannt. Kehren Sie zu ihr zurück und versuchen Sie es erneut, oder wenden Sie sich an ihren Betreiber.',
    redirectNotRegistered:
      'Die Anwendung wollte Sie an eine Adresse weiterleiten, die sie nicht registriert hat. Deshalb haben wir hier angehalten. Wenden Sie sich an ihren Betreiber.',
    badRequest:
      'Die Anwendung hat eine Anfrage gesendet, die wir nicht bearbeiten können. Kehren Sie zu ihr zurück und versuchen Sie es erneut.',
    tooManyAttempts: 'Zu viele Versuche. Warten Sie einige Minuten und versuchen Sie es dann erneut.',
    formRejected:
      'Dieses Formular wurde von einer anderen Website gesendet oder ist abgelaufen. Gehen Sie zurück, laden Sie die Seite neu und versuchen Sie es erneut.',
    tooLarge: 'Die Anfrage ist zu groß.',
    notFound: 'Diese Seite gibt es nicht.',
    accessDenied: 'Die Anmeldung wurde abgebrochen.',
    stepUnavailable:
      'Dieser Schritt der Anmeldung ist gerade nicht möglich. Gehen Sie zurück und laden Sie die Seite neu.',
    outOfDate: 'Diese Anmeldeseite ist veraltet. Beginnen Sie neu.',
    passwordFirst: 'Geben Sie zuerst Ihre Mandanten-ID, Ihren Benutzernamen und Ihr Passwort ein.',
    accountUnavailable: 'Dieses Konto kann sich nicht mehr anmelden. Beginnen Sie neu.',
  },
  account: {
    title: 'Benutzeroptionen',
    accountHeading: 'Ihr Konto',
    username: 'Benutzername',
    name: 'Name',
    email: 'E-Mail',
    tenantId: 'Mandanten-ID',
    tenantName: 'Mandant',
    roles: 'Rollen',
    noRoles: 'keine',
    passwordHeading: 'Passwort',
    passwordIntro:
      'Ändern Sie das Passwort, mit dem Sie sich anmelden. Ihre anderen Sitzungen werden dann beendet.',
    changePassword: 'Passwort ändern',
    passwordTitle: 'Passwort ändern',
    currentPassword: 'Aktuelles Passwort',
    newPassword: 'Neues Passwort',
    repeat: 'Neues Passwort wiederholen',
    wrongCurrentPassword: 'Das aktuelle Passwort ist falsch.',
    back: 'Zurück zu den Benutzeroptionen',
    twoFactorHeading: 'Zwei-Faktor-Authentifizierung',
    twoFactorOff:
      'Die Zwei-Faktor-Authentifizierung ist ausgeschaltet. Schalten Sie sie ein, dann fragt jede Anmeldung zusätzlich nach einem Code von Ihrem Smartphone.',
    activeSince: (date) => `Aktiv seit ${date}.`,
    codesLeft: (left) =>
      `Noch ${anzahl(left, { one: 'Wiederherstellungscode', other: 'Wiederherstellungscodes' })}.`,
    replaceAuthenticator: 'Authenticator ersetzen',
    newRecoveryCodes: 'Neue Wiederherstellungscodes',
    turnOff: '2FA ausschalten',
    required:
      'Ihr Konto muss die Zwei-Faktor-Authentifizierung verwenden; sie kann nicht ausgeschaltet werden.',
    replaceTitle: 'Authenticator ersetzen',
    replaceIntro:
      'Richten Sie die neue App mit diesem QR-Code oder geheimen Schlüssel ein. Ihre alte App funktioniert weiter, bis Sie einen Code aus der neuen eingeben.',
    turnOffTitle: 'Zwei-Faktor-Authentifizierung ausschalten?',
    turnOffWarning:
      'Anmeldungen fragen dann nur noch nach Ihrem Passwort, und Ihre Wiederherstellungscodes funktionieren nicht mehr. Sie können sie jederzeit wieder einschalten.',
    languageHeading: 'Sprache',
    languageIntro: 'Die Sprache dieser Seiten und der E-Mails, die wir Ihnen senden.',
    saveLanguage: 'Sprache speichern',
    logOut: 'Abmelden',
    signInsHeading: 'Letzte Anmeldungen',
    signInsCaption: 'Ihre letzten Anmeldeversuche, die neuesten zuerst. Zeiten in UTC.',
    signInsNone: 'Noch keine Anmeldungen aufgezeichnet.',
    when: 'Zeitpunkt',
    result: 'Ergebnis',
    ipAddress: 'IP-Adresse',
    browser: 'Browser',
    unknownBrowser: 'Unbekannter Browser',
    browserOn: (browser, platform) => `${browser} (${platform})`,
    unknownValue: 'unbekannt',
    signInOutcomes: {
      passwordAccepted: 'Passwort akzeptiert',
      wrongPassword: 'Falsches Passwort',
      refused: 'Anmeldung abgelehnt',
      codeAccepted: 'Code akzeptiert',
      recoveryCodeUsed: 'Wiederherstellungscode verwendet',
      wrongCode: 'Falscher Code',
      codeAlreadyUsed: 'Code bereits verwendet',
      wrongRecoveryCode: 'Falscher oder verbrauchter Wiederherstellungscode',
      throttled: 'Zu viele Versuche',
      failed: 'Fehlgeschlagen',
    },
    sessionsHeading: 'Sitzungen',
    sessionsIntro:
      'Die Browser, in denen Sie angemeldet sind. Wenn Sie einen nicht erkennen, melden Sie ihn ab und ändern Sie Ihr Passwort.',
    sessionsCaption: 'Ihre aktiven Sitzungen, dieser Browser zuerst. Zeiten in UTC.',
    sessionStarted: 'Begonnen',
    sessionLastUsed: 'Zuletzt verwendet',
    thisBrowser: 'Dieser Browser',
    signOutSession: 'Abmelden',
    signOutOthers: 'Überall sonst abmelden',
    signOutOthersHint:
      'Beendet alle anderen Sitzungen und die Anmeldungen von Anwendungen, die sie anderswo noch erneuern könnten.',
    done: {
      password: 'Ihr Passwort wurde geändert. Ihre anderen Sitzungen wurden beendet.',
      language: 'Ihre Sprache wurde gespeichert.',
      twoFactorOn: 'Die Zwei-Faktor-Authentifizierung ist eingeschaltet.',
      authenticatorReplaced:
        'Ihre neue Authenticator-App ist eingerichtet. Codes aus der alten App funktionieren nicht mehr.',
      recoveryCodes: 'Ihre neuen Wiederherstellungscodes gelten. Die alten funktionieren nicht mehr.',
      twoFactorOff: 'Die Zwei-Faktor-Authentifizierung ist ausgeschaltet.',
      sessionEnded: 'Die Sitzung wurde abgemeldet.',
      otherSessionsEnded: 'Alle Ihre anderen Sitzungen wurden abgemeldet.',
      linked: 'Ihr Konto ist mit dem Reseller Portal verknüpft. Melden Sie sich ab jetzt darüber an.',
      emailLinkSent:
        'Wir haben Ihnen einen Link gesendet. Öffnen Sie ihn innerhalb von 24 Stunden, um die Adresse zu bestätigen.',
      passkeyAdded: 'Ihr Passkey wurde hinzugefügt.',
      passkeyRenamed: 'Ihr Passkey wurde umbenannt.',
      passkeyRemoved: 'Ihr Passkey wurde entfernt.',
    },
  },
  accountPasskeys: {
    heading: 'Passkeys',
    intro:
      'Ein Passkey bestätigt mit einem Sicherheitsschlüssel oder mit Fingerabdruck, Gesicht oder PIN Ihres Geräts, dass Sie es sind. Anders als ein Code lässt er sich nicht abfischen.',
    none: 'Sie haben noch keinen Passkey.',
    caption: 'Ihre Passkeys',
    name: 'Name',
    created: 'Hinzugefügt',
    lastUsed: 'Zuletzt verwendet',
    neverUsed: 'nie',
    synced: 'synchronisiert',
    add: 'Passkey hinzufügen',
    addTitle: 'Passkey hinzufügen',
    addIntro:
      'Geben Sie dem Passkey einen Namen, an dem Sie ihn erkennen, etwa „YubiKey“ oder „Laptop“, und folgen Sie dann Ihrem Browser.',
    nameLabel: 'Name des Passkeys',
    nameMissing: 'Geben Sie einen Namen für den Passkey ein (bis zu 64 Zeichen).',
    unsupported: 'Dieser Browser kann keine Passkeys erstellen.',
    newName: (name) => `Neuer Name für ${name}`,
    appOff: 'Sie verwenden Passkeys als zweiten Faktor. Eine Authenticator-App ist nicht eingerichtet.',
    rename: 'Umbenennen',
    remove: 'Entfernen',
    lastFactor:
      'Dies ist Ihr letzter zweiter Faktor, und Ihr Konto muss einen haben. Fügen Sie zuerst einen weiteren Passkey oder eine Authenticator-App hinzu.',
  },
  accountEmail: {
    verified: 'bestätigt',
    unverified: 'nicht bestätigt',
    change: 'E-Mail-Adresse ändern',
    verify: 'E-Mail-Adresse bestätigen',
    pending: (email) =>
      `Ein Link wurde an ${email} gesendet. Ihre Adresse ändert sich, sobald Sie ihn öffnen.`,
    title: 'E-Mail-Adresse ändern',
    intro:
      'Wir senden einen Link an die neue Adresse. Die Änderung gilt, sobald Sie ihn öffnen; bis dahin bleibt Ihre bisherige Adresse.',
    newAddress: 'Neue E-Mail-Adresse',
    send: 'Bestätigungslink senden',
    unavailable: 'Diese Adresse kann nicht verwendet werden.',
    throttled: (seconds) => `Zu viele E-Mails. Versuchen Sie es in ${warten(seconds)} erneut.`,
    confirmTitle: 'E-Mail-Adresse bestätigen',
    confirmIntro: (email) => `Bestätigen Sie, dass ${email} die E-Mail-Adresse Ihres Kontos ist.`,
    confirm: 'E-Mail-Adresse bestätigen',
    confirmedTitle: 'E-Mail-Adresse bestätigt',
    confirmed: (email) => `${email} ist jetzt die bestätigte E-Mail-Adresse Ihres Kontos.`,
    invalidTitle: 'Link ungültig oder abgelaufen',
    invalid:
      'Dieser Link ist ungültig, wurde schon verwendet oder ist abgelaufen. Fordern Sie auf Ihrer Kontoseite einen neuen an.',
    toAccount: 'Zu den Benutzeroptionen',
  },
  start: {
    title: 'Anmeldung über Ihre Anwendung',
    intro: (product) =>
      `Dies ist der Anmeldedienst von ${product}. Öffnen Sie die Anwendung, die Sie verwenden möchten, zum Beispiel das Mobile Security Portal, und melden Sie sich dort an.`,
  },
  admin: {
    title: 'Admin-Konsole',
    consoleNav: 'Admin-Konsole',
    currentTenant: 'Mandant',
    actingFrom: (own) => `ein Kundenmandant; Sie handeln aus ${own}`,
    signedInAs: (name) => `Angemeldet als ${name}`,
    usersNav: 'Benutzer',
    logOut: 'Abmelden',
    accountNav: 'Ihr Konto',
    noAccessTitle: 'Kein Zugang',
    noAccess:
      'Ihr Konto hat keine Administrationsberechtigung, daher steht Ihnen die Admin-Konsole nicht offen. Wenden Sie sich bei Bedarf an Ihre Administration.',
    notPermittedTitle: 'Nicht erlaubt',
    notPermitted:
      'Das dürfen Sie nicht. Wenden Sie sich an eine Administration mit der nötigen Berechtigung.',
    goneTitle: 'Benutzer nicht gefunden',
    gone: 'Diesen Benutzer gibt es nicht mehr, oder Sie dürfen ihn nicht sehen.',
    backToUsers: 'Zurück zu den Benutzern',
    readOnly: 'Sie dürfen das sehen, aber nicht ändern.',
    audit: {
      title: 'Audit-Protokoll',
      nav: 'Audit-Protokoll',
      type: 'Ereignis',
      anyType: 'Jedes Ereignis',
      user: 'Benutzer (Benutzername oder E-Mail)',
      from: 'Von (UTC)',
      until: 'Bis (UTC, einschließlich)',
      filter: 'Anzeigen',
      download: 'CSV herunterladen',
      caption: (shown, total) =>
        `${shown} von ${anzahl(total, { one: 'Ereignis', other: 'Ereignissen' })}, neueste zuerst`,
      none: 'Kein Ereignis passt.',
      when: 'Wann (UTC)',
      actor: 'Von',
      subject: 'Betrifft',
      ip: 'IP-Adresse',
      details: 'Details',
      invalidDate: 'Geben Sie ein Datum als JJJJ-MM-TT ein.',
    },
    settings: {
      title: 'Mandanten-Einstellungen',
      nav: 'Einstellungen',
      name: 'Name',
      mfaPolicy: 'Zwei-Faktor-Authentifizierung',
      mfaRequired: 'für alle Benutzer Pflicht',
      mfaOptional: 'nur Pflicht, wo eine Rolle oder eine Anwendung sie verlangt',
      minPasswordLength: 'Mindestlänge des Passworts',
      minPasswordHint: 'Eine ganze Zahl von 8 bis 64; leer lassen für die Vorgabe der Installation.',
      save: 'Einstellungen speichern',
      saved: 'Die Einstellungen wurden gespeichert.',
      invalidName: 'Geben Sie einen Namen mit 1 bis 200 Zeichen ein, ohne Steuerzeichen.',
      invalidMinLength: 'Geben Sie eine ganze Zahl von 8 bis 64 ein, oder lassen Sie das Feld leer.',
      fixBelow: 'Es wurde nichts gespeichert. Korrigieren Sie die markierten Felder.',
    },
    customers: {
      title: 'Kundenmandanten',
      nav: 'Kunden',
      none: 'Es gibt noch keine Kundenmandanten.',
      caption: (total) => anzahl(total, { one: 'Kundenmandant', other: 'Kundenmandanten' }),
      id: 'Mandanten-ID',
      name: 'Name',
      status: 'Status',
      open: (id) => `${id} öffnen`,
      create: 'Kundenmandant anlegen',
      newTitle: 'Kundenmandant anlegen',
      newIntro: 'Die Mandanten-ID wird beim Anlegen vergeben. Legen Sie danach die erste Administration an.',
      submit: 'Kundenmandant anlegen',
      created: (id) => `Der Kundenmandant ${id} wurde angelegt.`,
      disable: 'Deaktivieren',
      enable: 'Aktivieren',
      disableTitle: 'Kundenmandant deaktivieren',
      disableIntro: (id) =>
        `Niemand aus ${id} kann sich anmelden oder Tokens erneuern, bis der Mandant wieder aktiviert wird.`,
      disabled: 'Der Kundenmandant wurde deaktiviert.',
      enabled: 'Der Kundenmandant wurde aktiviert.',
    },
    users: {
      deleted: 'Der Benutzer wurde gelöscht.',
      title: 'Benutzer',
      searchLabel: 'Suche (Benutzername, E-Mail oder Name)',
      status: 'Status',
      anyStatus: 'Jeder Status',
      active: 'aktiv',
      disabled: 'deaktiviert',
      role: 'Rolle',
      anyRole: 'Jede Rolle',
      twoFactor: '2FA',
      anyTwoFactor: 'Mit oder ohne 2FA',
      enrolled: 'eingerichtet',
      notEnrolled: 'nicht eingerichtet',
      filter: 'Suchen',
      caption: (shown, total) => `${shown} von ${anzahl(total, { one: 'Benutzer', other: 'Benutzern' })}`,
      none: 'Kein Benutzer passt.',
      username: 'Benutzername',
      name: 'Name',
      email: 'E-Mail',
      roles: 'Rollen',
      noRoles: 'keine',
      previous: 'Vorherige Seite',
      next: 'Nächste Seite',
      pageOf: (page, pages) => `Seite ${page} von ${pages}`,
      create: 'Benutzer anlegen',
      pagination: 'Seiten',
    },
    newUser: {
      title: 'Benutzer anlegen',
      intro: (days) =>
        `Der neue Benutzer erhält eine E-Mail mit einem Link, um sein Passwort festzulegen, gültig für ${anzahl(days, { one: 'Tag', other: 'Tage' })}. Sie geben sein Passwort nie ein und sehen es nie.`,
      username: 'Benutzername',
      usernameHint: 'Bis zu 100 Buchstaben, Ziffern, „.“, „_“ oder „-“.',
      email: 'E-Mail-Adresse',
      name: 'Name (optional)',
      roles: 'Rollen',
      submit: 'Benutzer anlegen und Einladung senden',
      missingUsername: 'Geben Sie einen Benutzernamen ein.',
      invalidUsername: 'Verwenden Sie bis zu 100 Buchstaben, Ziffern, „.“, „_“ oder „-“.',
      usernameTaken: 'Ein Benutzer mit diesem Benutzernamen existiert in diesem Mandanten bereits.',
      missingEmail: 'Geben Sie eine E-Mail-Adresse ein.',
      invalidEmail: 'Geben Sie eine gültige E-Mail-Adresse ein.',
      emailTaken: 'Ein Benutzer mit dieser E-Mail-Adresse existiert in diesem Mandanten bereits.',
      invalidName: 'Der Name darf höchstens 200 Zeichen haben, ohne Steuerzeichen.',
      roleNotAllowed: 'Diese Rolle dürfen Sie nicht vergeben.',
      fixBelow: 'Der Benutzer wurde nicht angelegt. Korrigieren Sie die markierten Felder.',
    },
    user: {
      title: (username) => `Benutzer ${username}`,
      detailsHeading: 'Konto',
      status: 'Status',
      twoFactor: 'Zwei-Faktor-Authentifizierung',
      twoFactorOn: 'eingerichtet',
      twoFactorOff: 'nicht eingerichtet',
      linkedHeading: 'Reseller Portal',
      linkedTo: (upstream, subject) => `Verknüpft mit ${upstream} (Subject ${subject}).`,
      openPortal: (upstream) => `${upstream} öffnen`,
      rolesHeading: 'Rollen',
      holds: 'vergeben',
      assign: 'Zuweisen',
      revoke: 'Entziehen',
      roleAction: (action, role) => `${role}: ${action}`,
      actionsHeading: 'Aktionen',
      disable: 'Deaktivieren',
      enable: 'Aktivieren',
      resetTwoFactor: '2FA zurücksetzen',
      edit: 'E-Mail und Name ändern',
      delete: 'Löschen',
      editTitle: (username) => `${username} ändern`,
      save: 'Speichern',
      resendInvitation: 'Einladung erneut senden',
      resendHint:
        'Sendet einen neuen Link zum Festlegen des Passworts (7 Tage gültig); der vorher gesendete Link funktioniert dann nicht mehr.',
      signInsHeading: 'Letzte Anmeldungen',
      signInsNone: 'Noch keine Anmeldungen.',
      done: {
        updated: 'E-Mail-Adresse und Name wurden gespeichert.',
        created: 'Der Benutzer wurde angelegt, die Einladung ist unterwegs.',
        invited: 'Die Einladung wurde erneut gesendet.',
        roleAssigned: 'Die Rolle wurde zugewiesen.',
        roleRevoked: 'Die Rolle wurde entzogen.',
        disabled: 'Der Benutzer wurde deaktiviert und überall abgemeldet.',
        enabled: 'Der Benutzer wurde aktiviert.',
        twoFactorReset:
          'Die Zwei-Faktor-Authentifizierung wurde zurückgesetzt. Der Benutzer richtet sie bei der nächsten Anmeldung neu ein.',
      },
    },
    confirm: {
      deleteTitle: 'Benutzer löschen',
      deleteIntro: (username) =>
        `${username} wird mit Rollen, zweitem Faktor, Sitzungen und Tokens gelöscht. Das lässt sich nicht rückgängig machen.`,
      delete: 'Benutzer löschen',
      disableTitle: 'Benutzer deaktivieren',
      disableIntro: (username) =>
        `${username} wird sofort überall abgemeldet und kann sich erst wieder anmelden, wenn das Konto aktiviert wird.`,
      disable: 'Benutzer deaktivieren',
      resetTitle: 'Zwei-Faktor-Authentifizierung zurücksetzen',
      resetIntro: (username) =>
        `Authenticator und Wiederherstellungscodes von ${username} funktionieren dann nicht mehr, und alle Sitzungen enden. Bei der nächsten Anmeldung richtet der Benutzer einen neuen Authenticator ein. Er erhält dazu eine E-Mail.`,
      reason: 'Begründung',
      reasonHint:
        'Wird im Audit-Protokoll gespeichert, zum Beispiel „Handy verloren, Identität telefonisch geprüft“.',
      reasonTooLong: (max) => `Die Begründung darf höchstens ${max} Zeichen haben.`,
      missingReason: 'Geben Sie die Begründung ein.',
      reset: '2FA zurücksetzen',
    },
  },
  mail: {
    greeting: (name) => `Hallo ${name},`,
    invitation: {
      subject: 'Ihre Einladung: Legen Sie Ihr Passwort fest',
      intro: (product, tenant, username) =>
        `eine Administratorin oder ein Administrator hat für Sie ein ${product}-Konto im Mandanten „${tenant}“ angelegt. Ihr Benutzername ist ${username}.`,
      openWithin: (validDays) =>
        `Um Ihr Passwort festzulegen, öffnen Sie innerhalb von ${tage(validDays)} diesen Link:`,
      linkText: 'Passwort festlegen',
      once: 'Der Link funktioniert einmal. Falls Sie das nicht erwartet haben, ignorieren Sie diese E-Mail.',
    },
    notYou: 'Falls Sie das nicht waren, wenden Sie sich sofort an Ihren Administrator.',
    passwordReset: {
      subject: 'Passwort zurücksetzen',
      intro: (product, tenant) =>
        `jemand hat angefordert, das Passwort Ihres ${product}-Kontos im Mandanten „${tenant}“ zurückzusetzen.`,
      openWithin: (validMinutes) =>
        `Um ein neues Passwort festzulegen, öffnen Sie innerhalb von ${minuten(validMinutes)} diesen Link:`,
      linkText: 'Neues Passwort festlegen',
      once: 'Der Link funktioniert einmal. Falls Sie das nicht angefordert haben, ignorieren Sie diese E-Mail: Ihr Passwort bleibt unverändert.',
      keepsSecondFactor:
        'Das Zurücksetzen des Passworts schaltet die Zwei-Faktor-Authentifizierung nicht ab.',
    },
    passwordChanged: {
      subject: 'Ihr Passwort wurde geändert',
      body: (product, tenant, when) =>
        `das Passwort Ihres ${product}-Kontos im Mandanten „${tenant}“ wurde am ${when} geändert.`,
      sessionsEnded: 'Alle Ihre Sitzungen wurden beendet; melden Sie sich mit dem neuen Passwort erneut an.',
    },
    emailVerification: {
      subject: 'Bestätigen Sie Ihre E-Mail-Adresse',
      intro: (product, tenant, email) =>
        `bitte bestätigen Sie, dass ${email} die E-Mail-Adresse Ihres ${product}-Kontos im Mandanten „${tenant}“ ist.`,
      openWithin: (validHours) => `Öffnen Sie diesen Link innerhalb von ${stunden(validHours)}:`,
      linkText: 'E-Mail-Adresse bestätigen',
      notAsked: 'Wenn Sie das nicht angefordert haben, ignorieren Sie diese E-Mail: Es ändert sich nichts.',
    },
    accountLinked: {
      subject: 'Ihr Konto wurde mit dem Reseller Portal verknüpft',
      body: (product, tenant, upstream, when) =>
        `am ${when} wurde Ihr ${product}-Konto im Mandanten „${tenant}“ mit ${upstream} verknüpft. Ab jetzt melden Sie sich mit „Mit ${upstream} anmelden“ an; Passwort und Zwei-Faktor-Authentifizierung werden dort verwaltet. Ihre Sitzungen hier wurden beendet.`,
    },
    passwordManagedUpstream: {
      subject: 'Ihr Passwort wird im Reseller Portal verwaltet',
      body: (product, tenant, upstream) =>
        `für Ihr ${product}-Konto im Mandanten „${tenant}“ wurde das Zurücksetzen des Passworts angefordert. Ihr Konto ist mit ${upstream} verknüpft: Passwort und Zwei-Faktor-Authentifizierung werden dort verwaltet, nicht hier.`,
      whereToGo: (upstream) => `Um Ihr Passwort zu ändern oder zurückzusetzen, gehen Sie zu ${upstream}:`,
      notAsked: 'Wenn Sie das nicht angefordert haben, können Sie diese E-Mail ignorieren.',
    },
    emailChangeRequested: {
      subject: 'Änderung Ihrer E-Mail-Adresse angefordert',
      body: (product, tenant, newEmail, when) =>
        `am ${when} wurde angefordert, die E-Mail-Adresse Ihres ${product}-Kontos im Mandanten „${tenant}“ in ${newEmail} zu ändern. Sie ändert sich erst, wenn der an diese Adresse gesendete Link geöffnet wird.`,
    },
    secondFactorChanged: {
      subject: 'Ihre Zwei-Faktor-Authentifizierung wurde geändert',
      enabled: (product, tenant, when) =>
        `für Ihr ${product}-Konto im Mandanten „${tenant}“ wurde am ${when} die Zwei-Faktor-Authentifizierung eingeschaltet. Ab jetzt fragt jede Anmeldung nach einem Code aus Ihrer Authenticator-App.`,
      reset: (product, tenant, when) =>
        `ein Administrator hat am ${when} die Zwei-Faktor-Authentifizierung Ihres ${product}-Kontos im Mandanten „${tenant}“ entfernt. Bei Ihrer nächsten Anmeldung richten Sie sie neu ein; alle Ihre Sitzungen wurden beendet.`,
      replaced: (product, tenant, when) =>
        `für Ihr ${product}-Konto im Mandanten „${tenant}“ wurde am ${when} eine neue Authenticator-App eingerichtet. Codes aus der alten App funktionieren nicht mehr.`,
      recoveryCodes: (product, tenant, when) =>
        `für Ihr ${product}-Konto im Mandanten „${tenant}“ wurden am ${when} neue Wiederherstellungscodes erstellt. Die alten funktionieren nicht mehr.`,
      disabled: (product, tenant, when) =>
        `für Ihr ${product}-Konto im Mandanten „${tenant}“ wurde am ${when} die Zwei-Faktor-Authentifizierung ausgeschaltet. Anmeldungen fragen jetzt nur noch nach Ihrem Passwort.`,
      passkeyAdded: (product, tenant, when) =>
        `zu Ihrem ${product}-Konto im Mandanten „${tenant}“ wurde am ${when} ein Passkey hinzugefügt. Mit ihm können Sie sich jetzt anmelden.`,
      passkeyRemoved: (product, tenant, when) =>
        `von Ihrem ${product}-Konto im Mandanten „${tenant}“ wurde am ${when} ein Passkey entfernt. Er funktioniert nicht mehr für die Anmeldung.`,
    },
  },
};
