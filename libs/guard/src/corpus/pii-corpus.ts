import type { PiiKind } from '../pii';
import { Rng } from './rng';
import * as v from './values';

/** One true entity of a sample: its kind, the slot that produced it, its range and text. */
export interface LabelledEntity {
  kind: PiiKind;
  slot: string;
  start: number;
  end: number;
  value: string;
}

/** A generated text with every true entity labelled; everything else in it is not PII. */
export interface PiiSample {
  id: number;
  /** Index of the template in PII_TEMPLATES. */
  template: number;
  text: string;
  entities: LabelledEntity[];
}

type Gen = (r: Rng) => string;

/** Slots that produce an entity to find, and the kind it must be found as. */
const ENTITY_SLOTS: Record<string, [PiiKind, Gen]> = {
  email: ['email', v.email],
  phone: ['phone', v.phone],
  phone_plain: ['phone', v.phonePlain],
  card: ['card', v.card],
  iban: ['iban', v.iban],
  ssn: ['national_id', v.ssn],
  nino: ['national_id', v.nino],
  dni: ['national_id', v.dni],
  nie: ['national_id', v.nie],
  bsn: ['national_id', v.bsn],
  nir: ['national_id', v.nir],
  cf: ['national_id', v.codiceFiscale],
  ipv4: ['ip', v.ipv4],
  ipv6: ['ip', v.ipv6],
  secret: ['secret', v.prefixedSecret],
  openai: ['secret', v.openaiKey],
  aws_id: ['secret', v.awsKeyId],
  aws_secret: ['secret', v.awsSecret],
  github: ['secret', v.githubToken],
  slack: ['secret', v.slackToken],
  stripe: ['secret', v.stripeKey],
  google: ['secret', v.googleKey],
  jwt: ['secret', v.jwt],
  pem: ['secret', v.pem],
  bearer: ['secret', v.bearerToken],
  password: ['secret', v.password],
  api_key_value: ['secret', v.apiKeyValue],
  phone_ext: ['phone', v.phoneWithExtension],
  phone_nat: ['phone', v.phoneNational],
  maestro: ['card', v.maestroCard],
  iban_lc: ['iban', v.ibanAnyCase],
  name: ['name', v.personName],
  first: ['name', v.givenName],
  last: ['name', v.surname],
  person: ['name', v.heldOutName],
  given: ['name', v.heldOutGiven],
  family: ['name', v.heldOutSurname],
  address: ['address', v.address],
  address_lines: ['address', v.addressLines],
};

/** Slots that fill in ordinary text, including look-alikes that must not be found. */
const FILLER_SLOTS: Record<string, Gen> = {
  title: (r) => r.pick(v.TITLES),
  nm_company: (r) => r.pick(v.NEAR_MISS_COMPANIES),
  nm_city: (r) => r.pick(v.NEAR_MISS_CITIES),
  nm_product: (r) => r.pick(v.NEAR_MISS_PRODUCTS),
  nm_place: (r) => r.pick(v.NEAR_MISS_PLACES),
  named_date: v.namedDate,
  company: (r) => r.pick(v.COMPANIES),
  city: (r) => r.pick(v.CITIES),
  product: (r) => r.pick(v.PRODUCTS),
  order: v.orderNumber,
  date: v.date,
  amount: v.amount,
  version: v.version,
  uuid: v.uuid,
  sha: v.gitSha,
  isbn: v.isbn,
  tracking: v.trackingNumber,
  timestamp: v.timestamp,
  bad_iban: v.badIban,
  bad_card: v.badCard,
  bad_ssn: v.badSsn,
  invoice: v.invoiceNumber,
  sku: v.sku,
  qty: v.quantity,
  small: (r) => String(r.int(2, 40)),
  zip: v.zip,
  time: v.clockTime,
  account: v.accountRef,
  mac: v.macAddress,
  color: v.hexColor,
  bic: v.bic,
  code: v.otpCode,
  expiry: v.cardExpiry,
  cvc: v.cvc,
};

/**
 * Sentence templates: e-mails, support chats, CRM notes, invoices, logs, config and
 * JSON snippets, and other languages. `{slot}` is filled from the tables above.
 */
export const PII_TEMPLATES: readonly string[] = [
  // e-mails
  "Hi {first},\n\nThanks for your order {order} placed on {date}. We'll ship {product} to {city} once the payment of {amount} clears. Questions? Reply to {email} or call {phone}.\n\nBest, {name}",
  'From: {name} <{email}>\nTo: {email}\nSubject: Invoice {invoice}\n\nPlease wire {amount} to IBAN {iban} by {date}. Our BIC is {bic}.',
  'Dear {name}, your refund of {amount} was sent to {iban} on {date}. Reference: {invoice}.',
  '---------- Forwarded message ---------\n{name} wrote on {date}: can you switch my card to {card}? The old one ({bad_card}) keeps getting declined.',
  'Hello team, the new contractor {name} ({email}, {phone}) starts on {date}. Her SSN for payroll is {ssn}.',
  'Hi, please ignore the previous email. The meeting moved to {date} at {time}; dial-in {phone}, agenda {uuid}.',
  // support chats
  '[{time}] customer: hi my card {card} got charged twice for order {order}\n[{time}] agent: sorry about that! which email is on the account?\n[{time}] customer: {email}',
  "User: I can't log in since the {version} update.\nAgent: Could you share a number we can call you back on?\nUser: sure, {phone}",
  "Agent: For verification, may I have your National Insurance number?\nCustomer: it's {nino}",
  'chat> cliente: mi DNI es {dni} y mi móvil {phone}\nchat> agente: gracias, lo reviso',
  'Customer: tracking {tracking} shows no movement since {date}. Reach me at {email} please.',
  'Caller verified with SSN {ssn} and DOB {date}; callback requested to {phone_plain} after {time}.',
  // CRM notes
  'Lead: {name} | Company: {company} | Email: {email} | Phone: {phone} | Budget: {amount} | Next step: demo on {date}',
  'Note ({date}): spoke with {name} from {company}; decision expected next quarter. Direct line {phone}; assistant {email}. Contract draft {invoice}.',
  'Account {account}: billing contact {email}. Payment method card {card}, exp {expiry}. Last invoice {invoice} ({amount}).',
  'KYC passed for {name}: BSN {bsn}, IBAN {iban}, checked {date} by {first}.',
  'Dossier {order} : {name}, NIR {nir}, né(e) à {city}. Contact : {phone}.',
  'Opportunity {sku} — {company} wants {product}; champion {name} <{email}>, mobile {phone_plain}.',
  // invoices and payments
  'INVOICE {invoice}\nDate: {date}\nBill to: {company}, {city}\nAmount due: {amount}\nPay to IBAN: {iban}\nBIC: {bic}\nISBN of ordered title: {isbn}',
  'Rechnung {invoice} vom {date}: Bitte überweisen Sie {amount} auf das Konto {iban}. Kundennummer {account}.',
  'Factura {invoice} — Importe: {amount} — IBAN: {iban} — DNI del cliente: {dni}',
  'Receipt: {qty} of {sku}, total {amount}, paid by card {card} (auth code {code}).',
  'Visa {card} exp {expiry} cvc {cvc} — charge {amount} for order {order}.',
  'Payment of {amount} received for invoice {invoice} on {date}; ref {account}.',
  'Customer entered IBAN {bad_iban}; the bank validator rejected it on {date}.',
  // logs
  '{timestamp} INFO auth: login ok user={email} ip={ipv4} session={uuid}',
  '{timestamp} WARN api: rate limit exceeded for key {openai} from {ipv4} (build {sha})',
  '{timestamp} DEBUG http: GET /v1/orders/{order}?trace={uuid} 200 from {ipv6}',
  '{timestamp} ERROR db: connection refused postgres://app:{password}@{ipv4}:5432/orders (commit {sha})',
  '[{timestamp}] deploy {sha} to {ipv4} finished, {version} is live',
  '{timestamp} audit: user {email} exported report {uuid} from {ipv6}',
  '{timestamp} ERROR payment: card {bad_card} declined (Luhn), order {order}, amount {amount}',
  // config, JSON and code
  '{"user": {"name": "{name}", "email": "{email}", "phone": "{phone}"}, "order": "{order}", "total": "{amount}"}',
  'OPENAI_API_KEY={openai}\nDATABASE_HOST={ipv4}\nLOG_LEVEL=info\nRELEASE={version}',
  '[default]\naws_access_key_id = {aws_id}\naws_secret_access_key = {aws_secret}\nregion = eu-west-1',
  '{"customer_id": "{account}", "iban": "{iban}", "updated": "{date}", "ssn": "{ssn}"}',
  'headers = {"Authorization": "Bearer {bearer}", "X-Request-Id": "{uuid}"}',
  'slack_bot_token: {slack}\ngithub_token: {github}\nchart_version: {version}',
  'curl -H "Authorization: Bearer {bearer}" "https://api.example.com/v2/items?id={order}"',
  'STRIPE_SECRET_KEY={stripe}\nGOOGLE_MAPS_KEY={google}\nGIT_SHA={sha}',
  'db:\n  host: {ipv4}\n  user: app\n  password: {password}\n  pool: {small}',
  'Here is the deploy key you asked for:\n{pem}\nPlease do not share it.',
  'Set-Cookie: token={jwt}; Path=/; HttpOnly; Max-Age={small}',
  '{"api_key": "{api_key_value}", "endpoint": "https://api.example.com/v3", "timeout": {small}}',
  "const client = new Client({ apiKey: '{api_key_value}', region: 'eu-central-1', retries: {small} });",
  'Use the new key {secret} and revoke the old one before {date}.',
  'Password for the shared mailbox: {password}',
  'the wifi password is {password} (changed {date})',
  'Temporary login: user {first}, pass={password}, expires {timestamp}',
  // other languages
  'Bonjour {first}, votre numéro de sécurité sociale {nir} a bien été enregistré. Pour toute question : {phone} ou {email}.',
  'Hola {first}, hemos recibido tu NIE {nie}. Te llamaremos al {phone} antes del {date}.',
  'Guten Tag {name}, Ihre IBAN {iban} wurde aktualisiert. Rückfragen unter {phone}.',
  'Beste {first}, uw BSN {bsn} en IBAN {iban} zijn geverifieerd op {date}.',
  'Gentile {name}, il suo codice fiscale {cf} risulta registrato. Per assistenza scriva a {email}.',
  'Tel.: {phone_plain} — Ansprechpartner {name}, {city}',
  'teléfono: {phone_plain} (horario {time}–{time})',
  'Call me on {phone_plain} after {time}, or on the office line {phone}.',
  'portable : {phone_plain}, fixe : {phone}',
  // mostly look-alikes
  'Order {order} shipped {date} with tracking {tracking}; ISBN {isbn}; total {amount}.',
  'Release notes {version}: fixed a crash in {sku} (commit {sha}), built {timestamp}.',
  'The card {bad_card} failed validation; please use another one.',
  'Form rejected: SSN {bad_ssn} is not a valid number (submitted {date}).',
  'Meeting moved to {date} at {time}, room {small}; agenda doc {uuid}.',
  'Device MAC {mac}, firmware {version}, serial {account}, LED colour {color}.',
  'Warehouse {city}: {qty} picked, ZIP {zip}, PO {order}, {amount} on hold.',
  'Ticket {uuid}: users report latency from {ipv4} since {version}.',
  'Your verification code is {code}. It expires at {time}.',
  'SSN on file: {ssn}; DOB {date}; case {order}.',
  'National Insurance: {nino}. Employer ref {account}, payroll from {date}.',
  'Login failed for {email} from {ipv6} at {timestamp}.',
  // names, addresses, and the newer phone, card and IBAN layouts
  'Dear {title} {last},\n\nYour order {order} will be delivered to {address} on {named_date}.\n\nKind regards,\n{name}',
  'Ship to:\n{name}\n{address_lines}\nPhone:\n{phone_plain}',
  'Billing address: {address}. Paid with card {maestro}; refunds to IBAN {iban_lc}.',
  'Please update the contact: {name}, {phone_ext}, {email}.',
  'Thanks,\n{name}\n{nm_company} | {address}',
  'Call {first} at {phone_nat} or on the desk line {phone_ext}.',
  'Customer {name} moved from {nm_city} to {address} last month.',
  'Hello {first}! Your {nm_product} ships from our {nm_city} warehouse on {named_date}.',
  'Name: {name}\nAddress: {address}\nMobile: {phone_nat}',
  'Sehr geehrte Frau {last}, Ihre Bestellung {order} geht an {address}.',
  'Estimado {first}: le enviamos la factura {invoice} a {address}.',
  'Caro {first}, la consegna a {address} è prevista per il {date}.',
  'Olá {first}, o pedido {order} vai para {address}.',
  'Dzień dobry, {name}! Paczka na adres {address} została nadana.',
  'Sayın {name}, siparişiniz {address} adresine gönderildi.',
  'Geachte heer {last}, uw pakket wordt op {named_date} bezorgd op {address}.',
  'Invoice to {nm_company}, {address}; attention {name}.',
  '[{time}] agent: can you confirm the delivery address?\n[{time}] customer: {address}, and my phone is {phone_nat}',
  'Cheers,\n{first}\n{phone_ext}',
  'Fax:\n{phone_plain}\nCard on file: {maestro}',
  // look-alikes of names and addresses
  'Will the {nm_product} ship before {named_date}? May I change the delivery slot later?',
  'Mark ticket {order} as solved. Grace period ends {named_date}; Bill the rest to {nm_company}.',
  'Hope this helps! Sales rose 12% in {nm_city} after the {nm_product} launch on {named_date}.',
  'Our {nm_city} store on {nm_place} is open until {time}; order {order} is ready for pickup.',
  '{nm_company} reported record sales of the {nm_product} in {nm_city} ({named_date}).',
  'Top {small} Ways to Save: the {nm_product} bundle, {small} Main Points and a {small} Step Guide.',
  'Meeting on {named_date} at {time} in Room {small}, Building {small}, {nm_city} campus.',
];

/**
 * Held-out templates, written after the detectors were tuned on PII_TEMPLATES and never
 * used to tune them: new phrasings and layouts (tables, CSV, HTML, shell). Their scores
 * are a fairer estimate of how the detectors do on text they were not fitted to.
 */
export const PII_HOLDOUT_TEMPLATES: readonly string[] = [
  'Pls ring {given} on {phone} re: the {product} quote',
  'SSN# {ssn} (verified {date})',
  'Reach out: {email}; backup phone {phone}; IBAN on file {iban}',
  '| name | email | phone |\n|---|---|---|\n| {person} | {email} | {phone} |',
  '<tr><td>{person}</td><td>{email}</td><td>{phone}</td><td>{iban}</td></tr>',
  'customer,email,phone,ssn\n{account},{email},{phone},{ssn}',
  'export AWS_SECRET_ACCESS_KEY={aws_secret}\nexport AWS_ACCESS_KEY_ID={aws_id}',
  'Número de DNI: {dni}. Correo: {email}. Pedido {order}.',
  'Votre IBAN : {iban} (titulaire {person}), échéance le {date}.',
  'git remote set-url origin https://ci:{github}@github.com/acme/app.git',
  'ping {ipv4} -c 4 && ssh deploy@{ipv4} "tail -n 100 /var/log/app.log"',
  'card no. {card} / exp {expiry} / name on card {person}',
  '2 x {sku} @ {amount} — ship to {city}, tracking {tracking}, ETA {date}',
  'On {date} at {time} invoice {invoice} ({amount}) was paid from {iban}.',
  'Dear Sir or Madam, please find my NI number ({nino}) and contact number {phone} below.',
  'X-Api-Key: {api_key_value}\nAccept: application/json',
  'mongodb+srv://admin:{password}@cluster0.example.net/orders?retryWrites=true',
  '{"token": "{jwt}", "expires_in": 3600, "scope": "read"}',
  'Uw BSN is {bsn}; wij bellen u op {phone}.',
  'Codice fiscale del cliente: {cf} — telefono {phone}',
  'numéro de sécurité sociale : {nir}',
  'firewall: allow {ipv6} and {ipv4}; deny build {version}',
  'Fwd: "{person}" <{email}> asked to move {amount} to {iban} before {date}',
  'NIE del inquilino: {nie} / móvil {phone}',
  'ticket {uuid}: customer SSN {ssn} typed into the comments field, commit {sha}',
  'Paket an {person}, {address}, zugestellt am {date}.',
  'Sincerely,\n\n{person}\nSenior Buyer, {nm_company}\n{address_lines}',
  'Att.: {person} — {address}',
  'please send the replacement to {person} at {address}, thanks!',
  '{given} here — my new number is {phone_nat}, the old one ({phone}) is gone.',
  'name,street,phone\n{person},"{address}",{phone_ext}',
  'Ms. {family} will collect the parcel at {address}.',
  'ok, talk soon.\n\nRegards,\n{given}',
  'Contact person: {person} (mobile {phone_nat})',
  'Le colis de {person} est parti pour le {address}.',
  'Mi dirección nueva es {address}; un saludo, {given}.',
  '{person} <{email}> wrote:\n> please ship it to\n> {address_lines}',
  'Maestro {maestro} / iban {iban_lc}',
  'Fax\n{phone_nat}\nE-mail\n{email}',
  'The {nm_product} launch in {nm_city} moved to {named_date}; {nm_company} confirmed it.',
  'Returns go to our {nm_city} warehouse near {nm_place}, RMA {order}, {qty}.',
  'Agenda for {named_date}: {small} Key Risks, {small} Open Questions, budget {amount}.',
];

/** The slot names a template uses; an unknown slot is a bug in the template. */
function fill(r: Rng, template: string): { text: string; entities: LabelledEntity[] } {
  let text = '';
  let at = 0;
  const entities: LabelledEntity[] = [];
  for (const m of template.matchAll(/\{([a-z_0-9]+)\}/g)) {
    text += template.slice(at, m.index);
    at = m.index + m[0].length;
    const entity = ENTITY_SLOTS[m[1]];
    const filler = FILLER_SLOTS[m[1]];
    if (!entity && !filler) throw new Error(`unknown slot {${m[1]}}`);
    const value = entity ? entity[1](r) : filler(r);
    if (entity) entities.push({ kind: entity[0], slot: m[1], start: text.length, end: text.length + value.length, value });
    text += value;
  }
  return { text: text + template.slice(at), entities };
}

/**
 * A labelled corpus of `n` samples, each a template filled with generated values. The
 * same seed always gives the same corpus; templates are drawn uniformly (from
 * PII_TEMPLATES unless others are given, e.g. PII_HOLDOUT_TEMPLATES).
 */
export function generatePiiCorpus(n: number, seed: number, templates: readonly string[] = PII_TEMPLATES): PiiSample[] {
  const r = new Rng(seed);
  return Array.from({ length: n }, (_, id) => {
    const template = r.int(0, templates.length - 1);
    return { id, template, ...fill(r, templates[template]) };
  });
}
