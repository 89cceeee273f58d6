import type { identity as en } from '../en/identity';

export const identity = {
  'login.signIn': 'Anmelden',
  'login.totpTitle': 'Zwei-Faktor-Anmeldung',
  'login.login': 'Benutzername oder E-Mail',
  'login.password': 'Passwort',
  'login.totpHelp':
    'Geben Sie den sechsstelligen Code aus Ihrer Authenticator-App oder einen Ihrer Wiederherstellungscodes ein.',
  'login.totpCode': 'Bestätigungscode',
  'login.back': 'Zurück',
  'login.verify': 'Bestätigen',
  'login.or': 'oder',
  'login.sso': 'Mit SSO anmelden',
  'login.newHere': 'Neu hier?',
  'login.createAccount': 'Konto anlegen',
  'login.firstStart': 'Erster Start?',
  'login.firstStartText':
    'Das Passwort des ersten Administrators wird einmal auf der Serverkonsole ausgegeben, wenn ClockPilot mit einer leeren Datenbank startet (oder es ist das ADMIN_PASSWORD, mit dem gestartet wurde). Ändern Sie es nach der Anmeldung.',
  'login.sso.failed': 'Single Sign-on fehlgeschlagen',
  'login.sso.incomplete': 'Das Single Sign-on wurde nicht abgeschlossen. Versuchen Sie es erneut.',
  'login.sso.state_mismatch':
    'Die Anmeldung hat zu lange gedauert oder wurde in einem anderen Tab begonnen. Versuchen Sie es erneut.',
  'login.sso.provider_error': 'Der Identitätsanbieter hat die Anmeldung abgelehnt.',
  'login.sso.email_unverified': 'Ihre E-Mail-Adresse ist beim Identitätsanbieter nicht bestätigt.',
  'login.sso.no_account':
    'Für Sie gibt es noch kein ClockPilot-Konto. Bitten Sie eine Administratorin oder einen Administrator, eines anzulegen.',
  'login.sso.account_inactive': 'Ihr ClockPilot-Konto ist deaktiviert.',
  'login.sso.unavailable':
    'Der Identitätsanbieter ist gerade nicht erreichbar. Versuchen Sie es später erneut.',

  'profile.account': 'Konto',
  'profile.name': 'Name',
  'profile.username': 'Benutzername',
  'profile.email': 'E-Mail',
  'profile.role': 'Rolle',
  'profile.timeZone': 'Zeitzone',
  'profile.sessions': 'Wo Sie angemeldet sind',
  'profile.tokens': 'Persönliche API-Tokens',

  'password.mismatch': 'Die Passwörter stimmen nicht überein',
  'password.changed': 'Passwort geändert',
  'password.changedText': 'Ihre anderen Sitzungen wurden abgemeldet.',
  'password.change': 'Passwort ändern',
  'password.intro': 'Wenn Sie Ihr Passwort ändern, werden Ihre anderen Geräte abgemeldet.',
  'password.current': 'Aktuelles Passwort',
  'password.new': 'Neues Passwort',
  'password.newHint': 'Eine lange Passphrase, die Sie nirgends sonst verwenden',
  'password.repeat': 'Neues Passwort wiederholen',

  'sessions.unknownDevice': 'Unbekanntes Gerät',
  'sessions.browser': 'Browser',
  'sessions.browserOn': '{browser} auf {os}',
  'sessions.signedOut': '{device} abgemeldet',
  'sessions.notSignedOut': 'Nicht abgemeldet',
  'sessions.everywhereDone': 'Überall abgemeldet',
  'sessions.ended':
    '{count} Sitzung beendet, diese eingeschlossen.|{count} Sitzungen beendet, diese eingeschlossen.',
  'sessions.notLoggedOut': 'Nicht abgemeldet',
  'sessions.caption': 'Ihre Sitzungen',
  'sessions.none': 'Keine Sitzungen',
  'sessions.device': 'Gerät',
  'sessions.thisDevice': 'dieses Gerät',
  'sessions.ip': 'IP-Adresse',
  'sessions.created': 'Angemeldet',
  'sessions.lastActive': 'Zuletzt aktiv',
  'sessions.signOut': 'Abmelden',
  'sessions.signOutOne': '{device} abmelden, angemeldet {when}',
  'sessions.everywhere': 'Überall abmelden',
  'sessions.everywhereAsk': 'Überall abmelden?',
  'sessions.everywhereText':
    'Jede Sitzung endet, diese eingeschlossen. Sie müssen sich auf jedem Gerät neu anmelden.',
} satisfies Record<keyof typeof en, string>;
