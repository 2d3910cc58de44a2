// English wording of every notification and invitation mail (i18next resources; plurals by `count`).
// Why an attempt failed comes from the attempt itself (src/delivery/failure-hints.ts wrote it in English).
export const en = {
  common: {
    quote: '"{{value}}"',
    lastError: 'Last error:',
    whatToDo: 'What to do:',
    unreachable: 'The receiver could not be reached.',
    noName: '(no name)',
    anonymous: 'Anonymous',
    failed: 'Failed.',
    footer:
      'You get this e-mail because you are a recipient of failure notifications for this automation. ' +
      'Change the recipients or turn the notifications off on the automation page.',
  },
  disabled: {
    subjectGone: 'Automation "{{name}}" was disabled: the receiver answered 410 Gone',
    subjectFailures_one: 'Automation "{{name}}" was disabled after {{count}} failed run in a row',
    subjectFailures_other: 'Automation "{{name}}" was disabled after {{count}} failed runs in a row',
    intro: 'The automation {{name}} of the survey {{survey}} was disabled at {{time}}.',
    why: 'Why:',
    whyGone: 'The receiver answered 410 Gone: it says this endpoint is gone for good.',
    whyFailures_one: '{{count}} run in a row failed, so Svarbud stopped sending to the receiver.',
    whyFailures_other: '{{count}} runs in a row failed, so Svarbud stopped sending to the receiver.',
    heldNone:
      'No runs are waiting. New responses are kept as held runs until you enable the automation again.',
    held_one:
      '{{count}} run is held. They are sent when you enable the automation again; new responses are held too.',
    held_other:
      '{{count}} runs are held. They are sent when you enable the automation again; new responses are held too.',
    enable: '{{link}} once the receiver works',
    enableLink: 'Enable the automation again',
    failedRuns: 'See the failed runs',
  },
  atRisk: {
    subject: 'Automation "{{name}}" is at risk: {{count}} of {{disableAt}} failed runs before it is disabled',
    intro_one:
      'The last run of the automation {{name}} of the survey {{survey}} failed ({{time}}): {{count}} of the {{disableAt}} failed runs in a row that disable it.',
    intro_other:
      'The last {{count}} runs of the automation {{name}} of the survey {{survey}} failed in a row (the latest at {{time}}): {{count}} of the {{disableAt}} that disable it.',
    remaining_one:
      'One more failed run and Svarbud stops sending to the receiver; a successful run resets the count.',
    remaining_other:
      '{{count}} more failed runs and Svarbud stops sending to the receiver; a successful run resets the count.',
    check: '{{link}}: test the connection, fix the receiver, and send the failed runs again',
    checkLink: 'Open the automation',
    failedRuns: 'See the failed runs',
  },
  digest: {
    subject_one: '{{count}} run of automation "{{name}}" failed',
    subject_other: '{{count}} runs of automation "{{name}}" failed',
    summary_one: '{{count}} run of the automation {{name}} (survey {{survey}}) failed since {{time}}.',
    summary_other: '{{count}} runs of the automation {{name}} (survey {{survey}}) failed since {{time}}.',
    examples: 'Examples:',
    all: 'Failed runs:',
    more_one: '…and {{count}} more run.',
    more_other: '…and {{count}} more runs.',
    replay: 'See the failed runs and send them again',
    settings: 'Automation settings',
  },
  invitation: {
    subject: '{{inviter}} invited you to {{organization}} on Svarbud',
    subjectAnonymous: 'You are invited to {{organization}} on Svarbud',
    intro:
      '{{inviter}} invited you to join the organization {{organization}} on Svarbud, which delivers completed survey responses to other systems.',
    introAnonymous:
      'You are invited to join the organization {{organization}} on Svarbud, which delivers completed survey responses to other systems.',
    accept: '{{link}} and choose your name and password',
    acceptLink: 'Accept the invitation',
    expires: 'The link works once and expires at {{time}}.',
    ignore:
      'If you did not expect this invitation, ignore this e-mail: nothing happens unless you accept it.',
  },
};

export type MailResources = typeof en;
