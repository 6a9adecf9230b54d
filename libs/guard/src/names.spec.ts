import { detectNames } from './names';

const found = (text: string): string[] => detectNames(text).map((s) => text.slice(s.start, s.end));

describe('detectNames', () => {
  it.each([
    ['a known given name alone', 'Dana called twice about the invoice.', ['Dana']],
    ['a given name and surname', 'I spoke with Priya Patel from Globex.', ['Priya Patel']],
    ['a possessive', "Dana's order shipped.", ['Dana']],
    ['a middle initial and a surname with particles', 'Signed: Ingrid A. van den Berg, CFO', ['Ingrid A. van den Berg']],
    ['a hyphenated given name', 'Jean-Luc Moreau joined.', ['Jean-Luc Moreau']],
    ['two names in a list', 'Invite Luis, Amélie and Kenji Tanaka.', ['Luis', 'Amélie', 'Kenji Tanaka']],
    ['names of every listed culture', 'Zeynep, Wojciech, Siddharth, Xiaoming, Haruto, Khadija and Gonçalo agreed.', ['Zeynep', 'Wojciech', 'Siddharth', 'Xiaoming', 'Haruto', 'Khadija', 'Gonçalo']],
  ])('finds %s', (_why, text, names) => expect(found(text)).toEqual(names));

  it.each([
    ['after a title', 'Dr. Okonkwo will call back.', ['Okonkwo']],
    ['after a German title', 'Sehr geehrte Frau Wiśniewska, danke.', ['Wiśniewska']],
    ['after a Dutch title, particles first', 'Geachte heer van Dijk, bedankt.', ['van Dijk']],
    ['after chained titles', 'Frau Dr. Kempf ist da.', ['Kempf']],
    ['after a greeting', 'Dear Thandiwe,\nthanks for the call.', ['Thandiwe']],
    ['after a greeting in Turkish', 'Merhaba Ayşegül, siparişiniz yolda.', ['Ayşegül']],
    ['after a label', 'Name: Xiomara Quispe\nRole: buyer', ['Xiomara Quispe']],
    ['as a JSON value', '{"name": "Xiomara Quispe", "tier": 2}', ['Xiomara Quispe']],
    ['in capitals after a card label', 'name on card XIOMARA QUISPE', ['XIOMARA QUISPE']],
    ['after an account-holder label', 'IBAN on file (titulaire Xiomara Quispe).', ['Xiomara Quispe']],
    ['after a sign-off on the next line', 'See you then.\n\nKind regards,\nXiomara Quispe', ['Xiomara Quispe']],
    ['after a sign-off on the same line', 'Thanks again. Best, Xiomara', ['Xiomara']],
    ['after a sign-off in Dutch', 'Met vriendelijke groet,\n\nXiomara', ['Xiomara']],
    ['introducing themselves', 'Hello, my name is Xiomara Quispe.', ['Xiomara Quispe']],
    ['heading a quoted reply', 'Xiomara Quispe wrote:\n> ok', ['Xiomara Quispe']],
    ['with a Japanese honorific', 'Please ask Quispe-san first.', ['Quispe']],
    ['with a Turkish honorific', 'Xiomara Bey yarın arayacak.', ['Xiomara']],
  ])('finds an unlisted name %s', (_why, text, names) => expect(found(text)).toEqual(names));

  it.each([
    ['a known surname after an unlisted given name', 'Xiomara García approved it.', ['Xiomara García']],
    ['a given name that is also a word, with a known surname', 'Ask May Chen or Will Smith.', ['May Chen', 'Will Smith']],
    ['a given name that is also a word, with any surname mid-sentence', 'We met Grace Hopper there.', ['Grace Hopper']],
    ['a given name that is also a month abbreviation, with a surname', 'Jan Kowalski and Jun Watanabe signed.', ['Jan Kowalski', 'Jun Watanabe']],
    ['two given names, the first also a word', 'Ask Jan Martin.', ['Jan Martin']],
  ])('finds %s', (_why, text, names) => expect(found(text)).toEqual(names));

  it.each([
    ['months and weekdays', 'Due May 5; the June release ships Monday, April 3.'],
    ['sentences that open with a word that is also a name', 'Will you ship it? May I call? Mark it done. Grace period ends soon. Hope this helps. Bill the customer.'],
    ['cities alone', 'Flights from Florence to Victoria, offices in Charlotte, Sofia and Austin.'],
    ['places named after people', 'Teams in São Paulo, San Diego, Santa Clara and Saint Louis.'],
    ['a given name inside a company name', 'Invoices from Dana Holdings and Jordan Logistics.'],
    ['products after an article', 'Your Mercedes Sprinter and the Galaxy Note ship today.'],
    ['whom a letter greets when it is no one', 'Dear Customer,\nHi team, Dear Sir or Madam, Hello World! Sehr geehrte Damen und Herren,'],
    ['a team signing off', 'Regards,\nThe Acme Team\n\nBest,\nSupport'],
    ['capitalised sentence starts', 'Please find the report attached. Thanks for waiting. Release notes follow.'],
    ['identifiers, paths and handles', 'call getDanaById(), open /home/Dana/notes, ping @Dana, file Dana_2 and Dana.txt'],
    ['a title with no name after it', 'Dear Mr. ,'],
  ])('leaves %s alone', (_why, text) => expect(found(text)).toEqual([]));

  it('reads each word once however many capitalised words there are', () => {
    // One pass over the words with bounded look-around: a long run of them stays linear.
    const text = 'Abc Def '.repeat(20_000);
    expect(found(text)).toEqual([]);
  });
});
