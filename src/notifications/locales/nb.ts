// Norwegian (bokmål) wording of every notification and invitation mail, in the help article's words
// (automatiseringskjøringer, feilvarslinger, spill på nytt, Anonym). Same keys as en.ts.
import type { MailResources } from './en.js';

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };

export const nb: Shape<MailResources> = {
  common: {
    quote: '«{{value}}»',
    lastError: 'Siste feil:',
    whatToDo: 'Hva du kan gjøre:',
    unreachable: 'Mottakeren kunne ikke nås.',
    noName: '(uten navn)',
    anonymous: 'Anonym',
    failed: 'Mislykket.',
    footer:
      'Du får denne e-posten fordi du er mottaker av feilvarslinger for denne automatiseringen. ' +
      'Endre mottakerne eller slå av feilvarslingene på siden til automatiseringen.',
  },
  disabled: {
    subjectGone: 'Automatiseringen «{{name}}» ble deaktivert: mottakeren svarte 410 Gone',
    subjectFailures_one: 'Automatiseringen «{{name}}» ble deaktivert etter {{count}} mislykket kjøring',
    subjectFailures_other:
      'Automatiseringen «{{name}}» ble deaktivert etter {{count}} mislykkede kjøringer på rad',
    intro: 'Automatiseringen {{name}} for undersøkelsen {{survey}} ble deaktivert {{time}}.',
    why: 'Hvorfor:',
    whyGone: 'Mottakeren svarte 410 Gone: den sier at dette endepunktet er borte for godt.',
    whyFailures_one: '{{count}} kjøring mislyktes, så Svarbud sluttet å sende til mottakeren.',
    whyFailures_other: '{{count}} kjøringer på rad mislyktes, så Svarbud sluttet å sende til mottakeren.',
    heldNone:
      'Ingen kjøringer venter. Nye svar holdes tilbake som planlagte kjøringer til du aktiverer automatiseringen igjen.',
    held_one:
      '{{count}} kjøring holdes tilbake. Den sendes når du aktiverer automatiseringen igjen; nye svar holdes også tilbake.',
    held_other:
      '{{count}} kjøringer holdes tilbake. De sendes når du aktiverer automatiseringen igjen; nye svar holdes også tilbake.',
    enable: '{{link}} når mottakeren virker',
    enableLink: 'Aktiver automatiseringen igjen',
    failedRuns: 'Se de mislykkede kjøringene',
  },
  atRisk: {
    subject:
      'Automatiseringen «{{name}}» står i fare: {{count}} av {{disableAt}} mislykkede kjøringer før den deaktiveres',
    intro_one:
      'Den siste kjøringen av automatiseringen {{name}} for undersøkelsen {{survey}} mislyktes ({{time}}): {{count}} av de {{disableAt}} mislykkede kjøringene på rad som deaktiverer den.',
    intro_other:
      'De siste {{count}} kjøringene av automatiseringen {{name}} for undersøkelsen {{survey}} mislyktes på rad (den siste {{time}}): {{count}} av de {{disableAt}} som deaktiverer den.',
    remaining_one:
      'Én mislykket kjøring til, så slutter Svarbud å sende til mottakeren; en vellykket kjøring nullstiller tellingen.',
    remaining_other:
      '{{count}} mislykkede kjøringer til, så slutter Svarbud å sende til mottakeren; en vellykket kjøring nullstiller tellingen.',
    check:
      '{{link}}: test tilkoblingen, rett feilen hos mottakeren og spill de mislykkede kjøringene på nytt',
    checkLink: 'Åpne automatiseringen',
    failedRuns: 'Se de mislykkede kjøringene',
  },
  digest: {
    subject_one: '{{count}} kjøring av automatiseringen «{{name}}» mislyktes',
    subject_other: '{{count}} kjøringer av automatiseringen «{{name}}» mislyktes',
    summary_one:
      '{{count}} kjøring av automatiseringen {{name}} (undersøkelsen {{survey}}) mislyktes siden {{time}}.',
    summary_other:
      '{{count}} kjøringer av automatiseringen {{name}} (undersøkelsen {{survey}}) mislyktes siden {{time}}.',
    examples: 'Eksempler:',
    all: 'Mislykkede kjøringer:',
    more_one: '…og {{count}} kjøring til.',
    more_other: '…og {{count}} kjøringer til.',
    replay: 'Se de mislykkede kjøringene og spill dem på nytt',
    settings: 'Innstillinger for automatiseringen',
  },
  invitation: {
    subject: '{{inviter}} har invitert deg til {{organization}} i Svarbud',
    subjectAnonymous: 'Du er invitert til {{organization}} i Svarbud',
    intro:
      '{{inviter}} har invitert deg til å bli med i organisasjonen {{organization}} i Svarbud, som sender fullførte svar fra undersøkelser videre til andre systemer.',
    introAnonymous:
      'Du er invitert til å bli med i organisasjonen {{organization}} i Svarbud, som sender fullførte svar fra undersøkelser videre til andre systemer.',
    accept: '{{link}} og velg navn og passord',
    acceptLink: 'Godta invitasjonen',
    expires: 'Lenken virker én gang og utløper {{time}}.',
    ignore:
      'Hvis du ikke ventet denne invitasjonen, kan du se bort fra e-posten: ingenting skjer uten at du godtar den.',
  },
};

/**
 * src/delivery/failure-hints.ts in Norwegian, by failure code: attempts store their error in English, so
 * Norwegian mail says it again from the code (and the status code of an HTTP_STATUS failure).
 */
export const nbFailures = {
  failure: {
    INVALID_URL: 'URL-en er ikke gyldig.',
    BLOCKED_ADDRESS: 'URL-en peker til en adresse som utsendinger ikke får nå.',
    DNS_NOT_FOUND: 'Vertsnavnet ble ikke funnet.',
    CONNECTION_REFUSED: 'Tilkoblingen ble avvist.',
    CONNECTION_RESET: 'Mottakeren lukket tilkoblingen før den sendte et fullstendig svar.',
    TIMEOUT: 'Mottakeren svarte ikke i tide.',
    TLS_ERROR: 'Den sikre tilkoblingen (HTTPS) kunne ikke opprettes.',
    REDIRECT: 'Mottakeren svarte med en videresending, som ikke følges.',
    HTTP_STATUS: 'Mottakeren svarte med en feilstatus.',
    status: 'Mottakeren svarte {{status}}.',
  },
  hint: {
    INVALID_URL:
      'Bruk en fullstendig http://- eller https://-URL på høyst 2000 tegn, uten brukernavn eller passord i.',
    BLOCKED_ADDRESS:
      'Bruk en offentlig adresse. Private adresser, loopback, link-local og skyens metadata-adresser er sperret med mindre driftsansvarlig tillater dem (SVARBUD_ALLOW_CIDRS).',
    DNS_NOT_FOUND: 'Sjekk stavemåten til vertsnavnet og at DNS-oppføringen finnes.',
    CONNECTION_REFUSED: 'Ingenting lytter på den adressen og porten — sjekk URL-en og at mottakeren kjører.',
    CONNECTION_RESET:
      'Mottakeren eller en proxy foran den droppet forespørselen — sjekk loggene for et krasj eller en størrelsesgrense.',
    TIMEOUT: 'Mottakeren må svare innen tidsgrensen; bekreft raskt og gjør tregt arbeid etterpå.',
    TLS_ERROR:
      'Sjekk at mottakeren har et gyldig sertifikat for dette vertsnavnet som ikke er utløpt, utstedt av en offentlig utsteder.',
    REDIRECT: 'Bruk den endelige URL-en (den videresendingen peker til) som automatiseringens URL.',
    HTTP_STATUS: 'Enhver 2xx-status regnes som vellykket; se i mottakerens svar og logger etter årsaken.',
  },
  statusHint: {
    400: 'Mottakeren avviste meldingen — sjekk at den godtar dette meldingsformatet.',
    401: 'Mottakeren krever autentisering — legg headeren den venter (for eksempel Authorization) til automatiseringen.',
    403: 'Mottakeren nektet tilgang — sjekk legitimasjonen i automatiseringens headere og mottakerens tilgangsliste.',
    404: 'Ingenting ble funnet på denne stien — sjekk stien i URL-en.',
    405: 'Mottakeren tar ikke imot POST på denne URL-en — sjekk stien i URL-en.',
    410: 'Mottakeren sa at dette endepunktet er borte for godt, så automatiseringen ble deaktivert. Rett URL-en og aktiver den igjen.',
    413: 'Meldingen er større enn mottakeren godtar — øk grensen for størrelse eller send færre variabler.',
    429: 'Mottakeren begrenser antall forespørsler; utsendinger prøves igjen senere, etter Retry-After.',
    500: 'Mottakeren fikk en intern feil — sjekk loggene dens.',
  },
};
