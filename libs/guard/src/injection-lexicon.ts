/**
 * Multilingual cue tables for the injection detector: stems and short patterns (regular
 * expression source, lower case) per language for the parts an injection is built from.
 * The detector pairs them: an override verb near a word for instructions, a reveal verb
 * near a word for the hidden prompt, an addressing phrase near a word for the AI, a
 * "no restrictions" phrase near a persona cue. Stems are left open at the end so that
 * inflected forms match; words in scripts with spaces need a word start, Chinese and
 * Japanese do not (they have no spaces to mark one).
 */
import { nfkcStreamSafe } from './normalize';

/** The parts a cue is built from. */
export const CUE_PARTS = [
  'overrideVerb',
  'ruleNoun',
  'qualifier',
  'revealVerb',
  'promptNoun',
  'addressMarker',
  'aiNoun',
  'actVerb',
  'unrestricted',
  'persona',
] as const;
export type CuePart = (typeof CUE_PARTS)[number];

/** One language's patterns for each part. */
export type LanguageCues = Record<CuePart, string[]>;

/** Languages whose words are not separated by spaces: no word-start anchor. */
export const UNSPACED_LANGUAGES: ReadonlySet<string> = new Set(['zh', 'ja', 'ar']);

/**
 * Pattern prefixes: `@` (first) a romanized form, searched in Latin text although the
 * language has its own script (Hindi typed in Latin letters); `~` no word start (a particle
 * written onto the word before, as in Korean); `?` an addressing word too common to count
 * unless the AI word after it is followed by a colon, comma or closing bracket ("for the
 * assistant:"); `<` an addressing word that follows the AI word (Japanese へ, Korean 에게,
 * Turkish "…ya not").
 */
export const PREFIXES = /^[@~?<]+/;

export const LEXICON: Record<string, LanguageCues> = {
  en: {
    overrideVerb: [
      'ignor', 'disregard', 'forget', 'overrid', 'bypass', 'set aside', 'put aside', 'pay no (?:attention|heed) to', 'stop (?:following|obeying|using)', "(?:do not|don't|no longer|never) (?:follow|obey)",
      'never mind', 'drop', 'discard', 'scrap', 'abandon', 'throw (?:away|out)', 'neglect', 'dismiss', 'revok', 'withdr[ae]w', 'void', 'supersed', 'nullif', 'suspend',
      'omit', 'skip', 'disobey', 'ditch', 'move past', 'look past', 'leave behind', "(?:do not|don't) (?:pay attention to|listen to|adhere to|comply with|stick to|respect)", 'no need to (?:follow|obey)', 'free yourself (?:from|of)', 'break (?:free )?(?:from|out of)', 'stop (?:adhering|complying|listening|paying attention)',
    ],
    ruleNoun: ['instruction', 'directive', 'prompt', 'rules', 'guideline', 'guidance', 'directions', 'programming', 'constraints', 'restrictions', 'guardrail', 'safeguard', 'system message', 'developer message', 'orders', 'polic(?:y|ies)', 'limitations', 'safety (?:settings|filters|measures|rules|checks)', 'boundaries', 'principles', 'ethic', 'moral', 'system instructions'],
    qualifier: ['previous', 'prior', 'above', 'earlier', 'preceding', 'initial', 'original', 'all', 'your', 'system', 'developer', 'existing', 'everything', 'so far', 'you (?:were|have been|got) given', 'you received', 'from the (?:start|beginning)', 'before this', 'foregoing', 'former', 'past', 'underlying', 'safety', 'everything (?:above|before)', 'you (?:were|have been) (?:trained|programmed|told)'],
    revealVerb: [
      'reveal', 'print', 'show', 'display', 'output', 'repeat', 'tell', 'give', 'share', 'leak', 'dump', 'list', 'write', 'spell', 'recite', 'disclose', 'expose', 'echo', 'paste', 'copy', 'quote', 'summari[sz]e', 'translate', 'encode',
      'what(?: exactly| precisely)? (?:is|are|was|were)(?: exactly| precisely| actually)? (?=your|the (?:exact|full|hidden|secret))', 'what did (?:they|you)', 'what (?=(?:were|have) you (?:been )?told)', 'begin (?:your|the) (?:reply|answer|response) with',
      'paraphrase', 'reproduce', 'restate', 'type (?:out|up)', 'rewrite', 'read (?:back|out)', 'walk me through', "what(?:'s| is| was) (?:written|said|stated)", 'what (?:instructions|rules|guidelines) (?=(?:were|have) you)',
    ],
    promptNoun: [
      'system prompt', 'system message', 'developer message', 'pre-?prompt',
      '(?:initial|original|hidden|secret|internal|confidential|starting|first|setup|system|developer|full|exact) (?:prompt|instructions|rules|message|directives|guidelines|configuration|setup)',
      'your (?:instructions|rules|prompt|guidelines|directives|configuration|programming)',
      '(?:text|words|content|message|everything|lines)(?: \\S+){0,3}? (?:above|before (?:this|my))',
      '(?:what|everything) (?:you were|they) told', 'you were told', '(?:were|have) you (?:been )?told', '(?:instructions|rules|guidelines) (?:you|they) (?:were |have been )?(?:given|gave you)', 'rules you follow', '(?:developers?|creators?|makers?|operators?|someone) told you', 'not (?:allowed|supposed|meant) to (?:tell|reveal|share|say|disclose)',
      '(?:core|underlying|internal|private|meta|secret|hidden|original|initial|starting) (?:system )?(?:prompt|instructions|rules|directives|guidelines)', 'meta-?prompt', 'context window', 'first (?:message|lines?|words|sentences?|paragraph|instructions?)(?: \\S+){0,2}? (?:of|in) (?:this|the|your|our) (?:conversation|chat|prompt|context|session)', '(?:start|top|beginning) of (?:this|the|your|our) (?:conversation|chat|prompt|context|session)', 'everything (?:above|before) (?:this|that|the|my)', '(?:instructions|rules|guidelines|directives) (?:above|before this)', "how (?:you were|you have been|you've been) (?:instructed|configured|programmed|set up|prompted)", "(?:instructions|rules|guidelines|directives|prompt) (?:you (?:were|have been|'ve been) )?(?:given|provided|configured) (?:to you |with )?(?:at|before|by)",
      '(?:text|words|content|message|instructions)(?: \\S+){4,6}? before (?:this|my)', 'first \\d+ (?:words|lines|characters|sentences|tokens)(?: \\S+){0,2}? (?:of|in) (?:this|the|your|our) (?:conversation|chat|prompt|context|session|instructions)',
    ],
    addressMarker: [
      'notes? (?:to|for)', 'messages? (?:to|for)', 'instructions? (?:to|for)', 'attention', 'dear', 'hey', 'hello', 'to whatever', '?to(?: the| any| all| every)?', '?for(?: the| any| all| every)?', 'if you are (?:an?|the)',
      '?important', 'reminder (?:to|for)', '<(?:reading|processing|summari[sz]ing|parsing|reviewing|screening|evaluating|analy[sz]ing|scanning|ingesting) (?:this|these|the)',
      'calling all', 'psst', "if you(?:'re| are) (?:an?|the|any)", '(?:memo|notice|directive|request|p\\.?s\\.?) (?:to|for)', 'this (?:note|message|section|text|line) is (?:for|meant for|addressed to)',
    ],
    aiNoun: [
      'ai\\b', 'a\\.i\\.', 'assistants?\\b', 'language models?', 'llms?\\b', 'models?\\b', 'bots?\\b', 'chatbots?', 'copilot', 'chatgpt', 'gpt', 'claude', 'gemini', 'screener', 'summari[sz]er',
      '(?:automated|automatic|ai)(?: \\S+)? (?:system|reviewer|screener|recruiter|tool|reader|parser|filter|ranker)s?',
      'gpts?\\b', 'ats\\b', 'applicant tracking systems?', '(?:resume|cv|candidate|application) (?:screener|parser|filter|ranker|reviewer|bot|screening (?:tool|system|software))s?', 'recruit(?:ing|er|ment) (?:bot|ai|assistant|tool|system|software)s?', 'hiring (?:bot|ai|assistant|tool|system|software)s?', 'ai-powered \\S+', '(?:automated|ai) agents?', 'virtual assistants?', 'language-model',
      '(?:automated|automatic|ai)(?: \\S+){0,2} (?:software|program|pipeline|engine|evaluator|assessor|grader|classifier|algorithm)s?',
    ],
    actVerb: [
      '(?:forward|send|transfer|wire|pay|remit|download|install|run|execute|click|open|visit|delete|remove|wipe|approve|mark|grant|recommend|rank|rate|score|shortlist|hire|advance|upload|post|exfiltrate)\\b',
      'e-?mail (?:it|them|this|the)\\b', 'call (?:the )?[a-z_]+(?:_[a-z]+| tool| function)',
      '(?:include|add|insert|append|put|mention|embed)(?: \\S+){0,6}? (?:in|to|into|at the end of) (?:your|the) (?:answer|reply|response|summary|output|message)',
      'tell (?:the )?(?:user|customer|reader|recipient)', 'say (?:that|only)', '(?:reply|respond|answer) (?:with|only)', 'describe(?: \\S+){0,4}? as', '(?:state|claim) that', 'copy (?:the )?contents',
      '(?:select|prioriti[sz]e|advance|move) (?:this|the) (?:candidate|applicant|resume|cv|profile)', 'give (?:this|the) (?:candidate|applicant|resume|cv|profile)', 'classify (?:this|it|the)',
      "(?:return|output|respond with|reply with|answer with|conclude)(?: only)?:? [\"“']", '(?:is|as) (?:the )?(?:best|strongest|most qualified|ideal|perfect) (?:resume|cv|candidate|applicant|fit|match)',
      '(?:output|print|write|say|list|insult|mock|curse)\\b', 'answer (?:every|all|each|any)',
    ],
    unrestricted: [
      '(?:no|without(?: any)?|free (?:of|from)|zero|not bound by|unbound by|ignores? all) (?:\\S+ )?(?:rules|restrictions|limits|limitations|filters|guidelines|ethic|morals|content polic|censorship|safety|guardrails|boundaries)',
      'unrestricted', 'unfiltered', 'uncensored', 'jailbroken', 'amoral', 'developer mode', 'do anything now', 'never refuses?',
      'no (?:more )?(?:rules|restrictions|limits|filters|guidelines|boundaries)', '(?:without|no|zero) (?:any )?(?:ethical|moral) (?:constraints|limits|guidelines|considerations|boundaries)', 'nothing is off-?limits', 'anything goes', '(?:jailbreak|god|dan|unfiltered|uncensored|evil|chaos) mode', 'free (?:from|of) (?:all |any |your )?(?:\\S+ )?(?:rules|restrictions|limits|constraints|programming|training|guidelines|polic)', '(?:can|will|must) (?:say|do|answer|write) anything',
      '(?:evil|unfiltered|uncensored|rogue|amoral|unethical|unhinged|malicious) (?:ai|assistant|chatbot|bot|model|version|twin|persona|character|alter ego|confidant)', '(?:broken|break|broke) free (?:of|from)', "(?:do not|don't|doesn't|does not|no longer|never) (?:have to|need to|needs to|has to) (?:abide by|follow|obey|comply with|adhere to|respect)", "(?:not|never|doesn't|don't) (?:have|has) any (?:\\S+ )?(?:rules|restrictions|limits|filters|guidelines|ethic|morals|boundaries)", "(?:doesn't|does not|don't|do not|never) care about (?:\\S+ )?(?:rules|ethic|morals|laws|safety|guidelines|consequences)",
    ],
    persona: ['you are now', "you're now", 'you are no longer', 'act as', 'pretend', 'imagine', 'role-?play', 'play the role', 'stay in character', 'from now on', 'alter ego', "let's play", 'hypothetically', 'fictional', '\\bdan\\b', 'simulate', 'emulate', 'become', 'behave (?:like|as)', 'you will (?:now )?(?:act as|play|pretend)', "you(?:'ll| will) now be", 'in (?:a|this) (?:fictional|hypothetical|imaginary|alternate) (?:world|universe|scenario|story|setting)', 'for (?:a|my|this) (?:novel|story|screenplay|script|book|game|fiction)', 'thought experiment', "(?:don't|do not|never) break character", '\\b(?:stan|dude|aim)\\b', '(?:evil|unfiltered|uncensored|opposite|dark|rogue) (?:twin|version|side|counterpart|alter ego|ai|assistant)', 'hypothetical', 'you are going to (?:act as|pretend|play|be)', '(?:act|pretend|role-?play|play) (?:to be |as )?(?:my )?(?:late|deceased|dead) (?:grandmother|grandma|granny|grandfather|grandpa)'],
  },
  es: {
    overrideVerb: ['ignor[ae]', 'olvid[ae]', 'omit[ae]', 'descart[ae]', 'desobedec', 'haz caso omiso', 'no (?:sigas|obedezcas|hagas caso)', 'deja de (?:seguir|obedecer|cumplir)', 'pasa por alto', 'salt[ae]te', 'no (?:tengas|tomes) en cuenta', 'deja (?:de lado|a un lado)', 'prescinde de', 'desestim', 'anul[ae]', 'no (?:respetes|cumplas|obedezcas|sigas) (?:más|mas)?', 'sáltate', 'olvídate de', 'olvidate de', 'elud[ea]', 'sobrescrib'],
    ruleNoun: ['instrucci', 'indicaci', 'reglas', 'órdenes', 'directric', 'directiva', 'consigna', 'prompt', 'normas', 'restricci', 'pautas', 'lineamientos', 'políticas', 'politicas', 'limitaci', 'configuraci'],
    qualifier: ['anterior', 'previ[ao]', 'de arriba', 'superior', 'del sistema', 'inicial', 'original', 'tus', 'todas', 'todo', 'que te dieron', 'previas', 'iniciales', 'que recibiste', 'que se te (?:dieron|dio)', 'hasta ahora', 'cualquier', 'precedentes', 'de antes'],
    revealVerb: ['revel[ae]', 'muestr[ae]', 'mostrar', 'imprim', 'dime', 'enseñ[ae]', 'repit[ae]', 'escrib[ea]', 'cit[ae]', 'comparte', 'cuáles (?:son|fueron|eran)', 'dim[ea]', 'cuéntame', 'cuentame', 'copi[ae]', 'traduc[ei]', 'resum[ea]', 'list[ae]', 'divulg', 'cuál (?:es|era|fue)', 'cual (?:es|era|fue)', 'qué (?:instrucciones|reglas) (?:te|tienes)'],
    promptNoun: ['prompt (?:del |de )?sistema', 'mensaje (?:del )?sistema', 'instrucciones (?:ocultas|iniciales|originales|secretas|internas|del sistema)', 'tus instrucciones', 'reglas (?:ocultas|secretas)', 'lo que te (?:dijeron|indicaron)', 'antes de mi mensaje', 'prompt (?:inicial|original|oculto|secreto)', 'tus (?:reglas|directrices|pautas|indicaciones)', '(?:el )?texto (?:de arriba|anterior|previo)', 'todo lo (?:de arriba|anterior)', 'mensaje inicial', 'cómo (?:te )?(?:configuraron|programaron|instruyeron)'],
    addressMarker: ['nota para', 'mensaje para', 'atención', 'aviso para', 'instrucciones para', 'si eres', 'querid[oa]', 'hola', '?para (?:el|la|cualquier)', '<que (?:lea|procese|resuma)', 'observación para', 'estimad[oa]', 'importante para', '<que (?:está|esta) (?:leyendo|procesando|analizando|resumiendo|evaluando)', 'si (?:usted )?es (?:un|una)'],
    aiNoun: ['ia\\b', 'inteligencia artificial', 'asistente', 'modelo', 'agente de ia', 'bot\\b', 'chatbot', 'i\\.a\\.', 'llm\\b', 'modelo de lenguaje', 'sistema (?:de selección|de seleccion|automatizado|de ia)', 'reclutador (?:automático|automatico|virtual)', 'asistente virtual'],
    actVerb: ['reenví[ae]', 'envía', 'envi[ae]', 'transfier[ae]', 'transferir', 'deposit[ae]', 'pag(?:a|ue)\\b', 'descarg[au]', 'ejecut[ae]', 'instal[ae]', 'haz clic', 'pulsa', 'abre', 'borr[ae]', 'elimin[ae]', 'aprueb[ae]', 'recomiend[ae]', 'incluy[ae]', 'añad[ae]', 'agreg[au]', 'dile al usuario', 'respond[ea]', 'contest[ae]', 'clasific', 'puntú[ae]', 'valor[ae]', 'califica', 'selecciona', 'pon (?:\\S+ ){0,3}?(?:en primer lugar|primero)', 'da(?:le)? (?:\\S+ ){0,3}?(?:la )?(?:máxima|maxima|mejor) (?:puntuación|puntuacion|nota)', 'menciona', 'afirma', 'di que'],
    unrestricted: ['sin (?:ninguna |ningún |ningun |ningunas |tipo de )?(?:restricci|filtro|regla|límite|limite|censura)', 'no tienes (?:ninguna )?(?:regla|restricci)', 'modo desarrollador', 'sin (?:ninguna |ningún |ningun |tipo de )?(?:ética|etica|moral|pautas|directrices|limitaci)', 'sin límites', 'sin limites', 'sin censura', 'ilimitad', 'modo (?:dios|sin restricciones|dan|libre)', 'libre de (?:toda|cualquier|todas las) (?:regla|restricci|norma)', 'nada está prohibido'],
    persona: ['ahora eres', 'a partir de ahora (?:eres|serás)', 'desde ahora eres', 'finge', 'actúa como', 'haz de cuenta', 'interpreta el papel', 'imagina que (?:eres|estás)', 'simula', 'juego de rol', 'mantente en (?:el )?personaje', 'hipotéticamente', 'hipoteticamente', 'en un mundo (?:ficticio|imaginario)', 'compórtate como', 'comportate como', 'a partir de ahora,? (?:tú |tu )?(?:eres|serás|seras)', 'de ahora en adelante'],
  },
  fr: {
    overrideVerb: ['ignor', 'oubli', 'ne (?:tiens|tenez) (?:pas|plus) compte', 'fai(?:s|tes) abstraction', '(?:arrête|arrêtez|cesse|cessez) de (?:suivre|respecter|obéir)', "n'obéis plus", 'ne (?:suis|suivez|respecte|respectez) plus', 'pass(?:e|ez) outre', 'écart(?:e|ez)', 'fais fi de', 'faites fi de', 'mets de côté', 'mettez de côté', 'laisse(?:z)? tomber', 'outrepass', 'contourn', 'annul', 'ne (?:suis|suivez|respecte|respectez|tiens|tenez) pas', 'désobé', 'passe(?:z)? sous silence'],
    ruleNoun: ['instructions?', 'consignes?', 'règles', 'directives?', 'indications', 'prompt', 'ordres', 'restrictions', 'limites', 'politiques?', 'lignes directrices', 'paramètres', 'garde-fous'],
    qualifier: ['précédent', 'antérieur', 'ci-dessus', 'initial', 'originel', 'original', 'du système', 'système', 'tes', 'vos', 'toutes', 'tous', "qu'on t'a donn", 'reçu', 'donnée?s', 'jusqu.ici', 'au-dessus', 'plus haut', 'de départ', "d'origine", 'ton', 'votre'],
    revealVerb: ['révèl', 'revel', 'affich', 'montr', 'imprim', 'donne', 'dis-moi', 'répète', 'repete', 'recopi', 'cite', 'écri', 'quelles (?:étaient|sont)', 'tradui', 'résume', 'resume', 'partage', 'liste', 'énumère', 'divulgu', 'reprodui', 'quel(?:le)?s? (?:est|sont|étaient|était)'],
    promptNoun: ['prompt (?:du )?syst[èe]me', 'message (?:du )?système', "(?:instructions|consignes) (?:cachées|secrètes|initiales|de départ|d'origine|du système)", 'tes (?:instructions|consignes)', 'vos (?:instructions|consignes)', "ce qu'on t'a dit", 'avant mon message', 'prompt (?:initial|original|caché|secret)', '(?:tes|vos) (?:règles|directives|paramètres)', '(?:le )?texte (?:ci-dessus|au-dessus|précédent|plus haut)', 'tout ce qui (?:précède|est au-dessus|est ci-dessus)', 'message initial', '(?:règles|instructions|consignes) (?:reçues|de base|internes)', 'comment (?:tu as|vous avez) été (?:configuré|programmé|instruit)'],
    addressMarker: ['note (?:pour|à)', 'message (?:au|à|pour)', "à l'attention", 'attention', 'si (?:tu es|vous êtes)', 'cher', 'chère', 'bonjour', '<qui lit', 'remarque pour', 'avis (?:à|aux|au)', 'important pour', '<qui (?:traite|analyse|résume|évalue|lit) ce', 'si tu es un', 'si vous êtes un'],
    aiNoun: ['ia\\b', 'intelligence artificielle', 'assistant', 'modèle', 'agent ia', 'bot\\b', 'chatbot', 'robot', 'i\\.a\\.', 'llm\\b', 'modèle de langage', 'système (?:de tri|automatisé|de sélection|d.ia)', 'recruteur (?:automatique|virtuel)', 'assistant virtuel'],
    actVerb: ['transf[èe]re', 'envoi', 'envoie', 'envoyez', 'vire[sz]?\\b', 'verse', 'télécharg', 'exécut', 'execut', 'lance', 'install', 'clique', 'ouvre', 'supprim', 'efface', 'approuv', 'recommand', 'ajoute', 'inclu', 'mentionne', 'réponds', 'répondez', "dis à l'utilisateur", 'classe', 'évalue', 'note', 'classe', 'sélectionne', 'place (?:\\S+ ){0,3}?(?:en tête|en premier|premier)', 'donne(?:z)? (?:\\S+ ){0,3}?(?:la )?note maximale', 'affirme', 'dis que', 'signale'],
    unrestricted: ['sans (?:aucune |aucun |la moindre |les )?(?:restriction|filtre|règle|limite|censure)', 'aucune (?:règle|restriction|limite)', 'mode développeur', 'sans (?:aucune |aucun |la moindre )?(?:éthique|morale|limite|contrainte)', 'sans limites', 'sans censure', 'illimité', 'débridé', 'mode (?:dieu|dan|sans restriction|libre|développeur)', 'libéré de (?:toutes |tes |vos )?(?:règles|restrictions|contraintes)', 'aucune (?:limite|contrainte|censure)'],
    persona: ['tu es (?:désormais|maintenant)', 'vous êtes (?:désormais|maintenant)', 'fai(?:s|tes) comme si', 'joue(?:z)? le rôle', 'agi(?:s|ssez) comme', 'incarne', 'imagine que tu', 'imaginez que vous', 'simule', 'jeu de rôle', 'reste dans (?:ton |le )?personnage', 'hypothétiquement', 'dans un monde (?:fictif|imaginaire)', 'comporte-toi comme', 'à partir de maintenant,? tu', 'désormais,? tu', 'fais semblant'],
  },
  de: {
    overrideVerb: ['ignorier', 'vergiss(?! nicht)', 'vergessen sie', 'missacht', 'übergeh', 'überspring', 'setze? (?:dich|sich) über', 'befolg\\S* (?:\\S+ ){0,3}?nicht mehr', 'nicht mehr befolg', 'halte? dich nicht (?:mehr )?an', 'verwirf', 'beachte (?:\\S+ ){0,2}?nicht', 'lass (?:\\S+ ){0,3}?(?:außer acht|weg|beiseite)', 'lassen sie (?:\\S+ ){0,3}?(?:außer acht|weg|beiseite)', 'schieb (?:\\S+ ){0,3}?beiseite', 'umgeh', 'hebe (?:\\S+ ){0,3}?auf', 'setz (?:\\S+ ){0,3}?außer kraft', 'ignorieren', 'vergesst', 'kümmer dich nicht um', 'pfeif auf'],
    ruleNoun: ['anweisung', 'instruktion', 'anordnung', 'regeln', 'vorgabe', 'richtlinie', 'befehle', 'systemanweisung', 'systemprompt', 'prompt', 'einschränkung', 'beschränkung', 'vorschrift', 'leitlinie', 'grenzen', 'richtlinien', 'instruktionen'],
    qualifier: ['vorherig', 'bisherig', 'obig', 'vorig', 'ursprünglich', 'anfänglich', 'früher', 'alle', 'deine', 'ihre', 'system', 'vorangegangen', 'vorhergehend', 'oben', 'erhaltenen', 'gegebenen', 'bis(?:her| jetzt)', 'sämtlich', 'jegliche', 'dir gegebenen'],
    revealVerb: ['zeig', 'gib', 'verrat', 'druck', 'nenn', 'wiederhol', 'schreib', 'zitier', 'offenbar', 'enthüll', 'was (?:waren|sind|war)', 'übersetz', 'fass (?:\\S+ ){0,4}?zusammen', 'zusammenfass', 'gib (?:\\S+ ){0,3}?aus', 'teil', 'lies (?:\\S+ ){0,3}?vor', 'kopier', 'welche (?:anweisungen|regeln) (?:hast|hattest|wurden)', 'wie lauten'],
    promptNoun: ['system-?prompt', 'systemnachricht', 'systemanweisung', '(?:versteckten|geheimen|ursprünglichen|anfänglichen|internen) (?:anweisungen|regeln|vorgaben)', 'deine anweisungen', 'vor meiner nachricht', 'was (?:man )?dir gesagt', '(?:deine|ihre) (?:ursprünglichen |geheimen |versteckten |ersten )?(?:anweisungen|regeln|vorgaben|richtlinien|instruktionen)', '(?:ursprünglich|anfänglich|geheim|versteckt|intern)\\S* (?:prompt|instruktionen|richtlinien)', '(?:den |der )?text (?:oben|darüber|vor dieser nachricht)', 'alles (?:oben|darüber|vor dieser)', 'anfangsnachricht', 'wie du (?:konfiguriert|programmiert|instruiert) wurdest'],
    addressMarker: ['hinweis (?:an|für)', 'nachricht (?:an|für)', 'notiz (?:an|für)', 'achtung', 'wenn du (?:ein|eine)', 'liebe[rs]?', 'hallo', '?an (?:die|den|das|alle)', '<, (?:die|der|das) (?:dies|das) liest', 'anmerkung (?:an|für)', 'wichtig für', '<, (?:die|der|das) (?:dies|das|diesen text) (?:verarbeitet|zusammenfasst|bewertet|analysiert)', 'falls du (?:ein|eine)', 'sehr geehrte'],
    aiNoun: ['ki\\b', 'ki-', 'künstliche intelligenz', 'assistent', 'sprachmodell', 'modell', 'ki-agent', 'bot\\b', 'chatbot', 'llm\\b', 'ki-modell', 'ki-system', 'ki-assistent', 'bewerbungs(?:system|tool|software|bot)', 'screening-(?:tool|system)', 'automatisierte[srn]? (?:system|prüfer|bewerter)'],
    actVerb: ['leite (?:\\S+ ){0,5}?weiter', 'weiterleit', 'sende', 'schick', 'überweis', 'zahl', 'lade (?:\\S+ ){0,5}?herunter', 'herunterlad', 'führe (?:\\S+ ){0,5}?aus', 'ausführ', 'installier', 'klick', 'öffne', 'lösch', 'genehmig', 'empfiehl', 'füge (?:\\S+ ){0,5}?ein', 'ergänz', 'antworte', 'sag dem (?:nutzer|benutzer)', 'bewerte', 'stufe', 'bewerte', 'empfehle', 'setze (?:\\S+ ){0,3}?(?:auf platz eins|an die spitze|ganz oben)', 'gib (?:\\S+ ){0,3}?(?:die )?(?:höchste|beste|volle) (?:punktzahl|bewertung|note)', 'wähle (?:\\S+ ){0,3}?aus', 'behaupte', 'erwähne', 'sag,? dass'],
    unrestricted: ['ohne (?:jegliche |irgendwelche |alle |jede )?(?:einschränkung|filter|regeln|grenzen|zensur|beschränkung)', 'keine regeln', 'entwicklermodus', 'ohne (?:jegliche |irgendwelche |alle |jede )?(?:ethik|moral|richtlinien|grenzen|limits|vorgaben)', 'uneingeschränkt', 'ungefiltert', 'unzensiert', 'grenzenlos', 'keine (?:einschränkungen|grenzen|filter|zensur|richtlinien)', '(?:gott|dan|jailbreak)-?modus', 'frei von (?:allen |jeglichen )?(?:regeln|einschränkungen|vorgaben)'],
    persona: ['du bist (?:jetzt|nun|ab sofort|ab jetzt)', 'sie sind (?:jetzt|nun|ab sofort)', 'tu so,? als', 'spiel(?:e)? die rolle', 'verhalte dich wie', 'agiere als', 'stell dir vor,? (?:du bist|dass du)', 'stellen sie sich vor', 'simulier', 'rollenspiel', 'bleib in (?:der|deiner) rolle', 'hypothetisch', 'in einer (?:fiktiven|erfundenen) welt', 'ab jetzt bist du', 'von nun an bist du', 'gib vor'],
  },
  it: {
    overrideVerb: ['ignor[ai]', 'dimentic', 'trascur', 'non seguire più', 'smetti di seguire', 'non tenere conto', 'lascia perdere', 'scarta', 'non considerare', 'non tenere (?:più |piu )?conto', 'non seguire', 'non rispettare', 'smetti di (?:seguire|rispettare|obbedire)', 'tralascia', 'metti da parte', 'accantona', 'salta', 'annulla', 'scavalca', 'aggira', 'bypassa', 'scordati', 'scorda', 'non obbedire', 'disattendi', 'ignorare'],
    ruleNoun: ['istruzion', 'regole', 'direttiv', 'indicazion', 'prompt', 'consegne', 'linee guida', 'vincoli', 'restrizion', 'limitazion', 'norme', 'comandi', 'ordini', 'impostazion', 'politiche'],
    qualifier: ['precedent', 'sopra', 'iniziali', 'original', 'di sistema', 'del sistema', 'tutte', 'tue', 'che ti hanno dato', 'soprastant', 'sopraindicat', 'di prima', 'originari', 'ricevut', 'date', 'tutto', 'qualsiasi', 'ogni', 'vostre', 'le tue', 'finora', 'fin qui', 'iniziale'],
    revealVerb: ['rivel', 'mostr', 'stamp', 'dimmi', 'ripet', 'scriv', 'cita', 'elenca', 'quali (?:erano|sono)', 'fammi vedere', 'copia', 'condividi', 'traduci', 'riassumi', 'svela', 'divulga', 'qual(?:i)? (?:sono|erano|è|e|era)', "cosa (?:ti hanno detto|c'è scritto|c'e scritto)", 'riporta', 'riproduci', 'mostrami', 'dammi'],
    promptNoun: ['prompt di sistema', 'messaggio di sistema', 'istruzioni (?:nascoste|iniziali|originali|segrete|di sistema)', 'le tue istruzioni', 'regole nascoste', 'prima del mio messaggio', 'prompt (?:iniziale|originale|nascosto|segreto)', '(?:le )?tue (?:istruzioni|regole|direttive|linee guida|impostazioni)', 'istruzioni (?:nascoste|iniziali|originali|segrete|interne|di sistema|ricevute|che hai ricevuto)', 'regole (?:nascoste|segrete|interne|iniziali)', 'testo (?:sopra|precedente|qui sopra)', "tutto (?:ciò che è |quello che c'è )?(?:sopra|qui sopra)", 'messaggio (?:iniziale|di sistema)', 'cosa ti (?:è stato detto|e stato detto|hanno detto)', 'il tuo prompt', 'come sei stato (?:configurato|istruito|programmato)'],
    addressMarker: ['nota per', 'messaggio per', 'attenzione', 'se sei', 'caro', 'cara', "all'attenzione", '<che legge', 'avviso per', 'istruzioni per', 'promemoria per', 'gentile', 'egregio', 'ciao', "?per (?:il|la|l'|qualsiasi|ogni|gli)", '<che (?:legge|elabora|analizza|riassume|valuta)', '<che sta (?:leggendo|elaborando|analizzando)', 'importante per', 'se (?:tu )?sei (?:un|una)'],
    aiNoun: ['ia\\b', 'intelligenza artificiale', 'assistente', 'modello', 'agente ia', 'bot\\b', 'chatbot', 'i\\.a\\.', 'agente', 'llm\\b', 'modello linguistico', 'sistema (?:di selezione|automatico|di ia|di screening)', 'selezionatore (?:automatico|virtuale)', 'assistente virtuale'],
    actVerb: ['inoltr', 'invi', 'trasferisc', 'bonific', 'paga', 'scaric', 'esegu', 'install', 'clicc', 'apri', 'cancell', 'elimin', 'approv', 'raccomand', 'consigli', 'aggiung', 'includ', 'rispond', "di' all'utente", 'classific', 'valuta', 'classifica', 'seleziona', 'metti (?:\\S+ ){0,3}?(?:in cima|al primo posto)', 'dai (?:\\S+ ){0,3}?(?:il )?punteggio massimo', 'assegna', 'menziona', "di(?:'|i) che", 'afferma', 'inserisci', 'segnala'],
    unrestricted: ['senza (?:alcuna |nessuna |alcun |nessun )?(?:restrizion|filtr|regol|limit|censura)', 'nessuna regola', 'modalità sviluppatore', 'senza (?:alcuna |nessuna |alcun |nessun |qualsiasi )?(?:etica|vincol|censur|linee guida)', 'senza limiti', 'nessun (?:limite|filtro|vincolo)', 'nessuna (?:restrizione|regola|limitazione|censura)', 'non (?:hai|ci sono) (?:più |piu )?(?:regole|limiti|restrizioni|vincoli)', 'modalità (?:sviluppo|dev|senza limiti|dan|sviluppatore|libera)', 'modalita (?:sviluppatore|sviluppo|dev|dan)', 'libero da (?:ogni |qualsiasi |tutte le )?(?:regol|restrizion|vincol|limit)', 'senza restrizioni', 'illimitat', 'non censurat', 'non filtrat'],
    persona: ["(?:da ora in poi|d'ora in poi|ora|adesso) sei", 'fingi', 'fai finta', 'comportati come', 'interpreta', "(?:da ora in poi|d'ora in poi|d'ora in avanti|ora|adesso),? (?:tu )?sei", 'immagina (?:di essere|che tu)', 'agisci come', 'gioco di ruolo', 'recita la parte', 'resta nel personaggio', 'ipoteticamente', 'in un mondo (?:immaginario|fittizio)', 'fingiti', 'simula', 'impersona'],
  },
  pt: {
    overrideVerb: ['ignor[ea]', 'esqueç', 'esquec[ae]', 'desconsider', 'desobedeç', '(?:pare|deixe) de (?:seguir|obedecer|cumprir)', 'não (?:siga|obedeça) mais', 'descart', 'despreze', 'deixe de lado', 'pule', 'salte', 'abandone', 'não (?:siga|obedeça|obedeca|cumpra|respeite|considere)', 'nao (?:siga|obedeca|cumpra|respeite|considere)', 'pare de (?:seguir|obedecer|cumprir|respeitar)', 'anule', 'sobrescrev', 'contorn', 'burl', 'esqueca', 'ignorar', 'desconsidera'],
    ruleNoun: ['instruç', 'instruc', 'regras', 'diretriz', 'orientaç', 'ordens', 'comandos', 'prompt', 'diretrizes', 'normas', 'restriç', 'restric', 'limitaç', 'limitac', 'polític', 'politic', 'configuraç', 'orientac', 'instrucoes', 'mandamentos'],
    qualifier: ['anterior', 'prévi', 'acima', 'inicia', 'origina', 'do sistema', 'suas', 'seus', 'tuas', 'todas', 'todos', 'anteriores', 'prévias', 'previas', 'de cima', 'originais', 'iniciais', 'recebid', 'que (?:você|voce) recebeu', 'que (?:lhe|te) (?:foram )?dad', 'até agora', 'ate agora', 'tudo', 'qualquer', 'vossas', 'teus', 'tuas', 'sua', 'seu'],
    revealVerb: ['revel', 'mostr', 'exib', 'imprim', 'diga', 'repit', 'escrev', 'cite', 'list', 'quais (?:foram|são|eram)', 'revele', 'mostre', 'exiba', 'imprima', 'me diga', 'diz(?:-me)?', 'conte', 'repita', 'escreva', 'copie', 'compartilhe', 'partilhe', 'liste', 'traduza', 'resuma', 'quais (?:são|sao|eram|foram)', 'qual (?:é|e|era|foi)', 'divulg', 'expo(?:nha|r)'],
    promptNoun: ['prompt (?:do |de )?sistema', 'mensagem (?:do )?sistema', 'instruç(?:ões|oes) (?:ocultas|secretas|iniciais|originais|do sistema)', 'suas instruç', 'o que (?:lhe|te) disseram', 'antes da minha mensagem', 'prompt (?:inicial|original|oculto|secreto)', '(?:suas|tuas|as suas) (?:instruç|instruc|regras|diretrizes|orientaç)', 'instruc\\S* (?:ocultas|secretas|escondidas|internas|iniciais|originais|do sistema|de sistema)', 'instruç\\S* (?:ocultas|secretas|escondidas|internas|iniciais|originais|de sistema)', 'regras (?:ocultas|secretas|internas|iniciais)', 'texto (?:acima|anterior)', 'tudo (?:o que (?:está|esta) )?acima', 'o que (?:lhe|te) (?:foi dito|disseram|mandaram)', 'mensagem (?:inicial|de sistema)', '(?:seu|teu) prompt', 'como (?:você|voce) foi (?:configurad|instruíd|instruid|programad)'],
    addressMarker: ['nota para', 'mensagem para', 'atenção', 'se você (?:é|for)', 'caro', 'cara', 'olá', '<que (?:estiver lendo|ler)', 'observação para', 'observacao para', 'aviso (?:para|à|ao)', 'instruç\\S* para', 'instruc\\S* para', 'prezad[oa]', 'se (?:você|voce|tu) (?:é|e|es|for)', 'importante para', '?para (?:o|a|qualquer)', '?ao', '?à', '<que (?:está|esta) (?:lendo|processando|analisando|resumindo|avaliando)', '<que (?:ler|processar|analisar|resumir|avaliar)', 'atencao', 'mensagem ao'],
    aiNoun: ['ia\\b', 'inteligência artificial', 'assistente', 'modelo', 'agente de ia', 'bot\\b', 'chatbot', 'i\\.a\\.', 'inteligencia artificial', 'agente', 'robô', 'robo\\b', 'llm\\b', 'sistema (?:de triagem|automatizado|de ia)', 'recrutador (?:automatizado|virtual)', 'modelo de linguagem'],
    actVerb: ['encaminh', 'envi[ea]', 'transfir', 'transfer', 'pague\\b', 'pagar\\b', 'baix[ea]', 'execut', 'instal', 'clique', 'abra', 'apag', 'exclu', 'aprov', 'recomend', 'inclua', 'adicion', 'respond', 'diga ao usuário', 'classifiqu', 'classifique', 'avalie', 'recomende', 'aprove', 'selecione', 'coloque (?:\\S+ ){0,3}?(?:em primeiro|no topo)', 'dê (?:\\S+ ){0,3}?(?:nota|pontuação|pontuacao) máxima', 'de (?:\\S+ ){0,3}?(?:nota|pontuacao) maxima', 'encaminhe', 'envie', 'responda', 'inclua', 'mencione', 'diga (?:ao|que)', 'afirme'],
    unrestricted: ['sem (?:nenhuma |qualquer |nenhum )?(?:restriç|restric|filtro|regra|limite|censura)', 'modo desenvolvedor', 'sem (?:nenhuma |qualquer |nenhum |quaisquer )?(?:ética|etica|diretriz|limitaç|limitac|restrições|restricoes)', 'sem limites', 'irrestrit', 'sem censura', 'sem filtros?', 'modo (?:programador|dev|deus|sem restrições|sem restricoes)', 'nenhuma (?:regra|restrição|restricao|limitação)', 'livre de (?:todas as |quaisquer )?(?:regras|restrições|restricoes)'],
    persona: ['(?:a partir de agora|agora) (?:você é|voce e|és)', 'finja', 'aja como', 'faça de conta', 'interprete o papel', '(?:a partir de agora|agora|doravante),? (?:você|voce|tu) (?:é|e|és|es|será|sera)', 'finge', 'faca de conta', 'imagine que', 'atue como', 'comporte-se como', 'interprete', 'represente o papel', 'hipoteticamente', '(?:num|em um) mundo (?:fictício|ficticio|imaginário|imaginario)', 'fique no personagem', 'seja o', 'simule'],
  },
  nl: {
    overrideVerb: ['negeer', 'vergeet', 'houd je niet (?:langer |meer )?aan', 'trek je niets aan van', 'volg (?:\\S+ ){0,3}?niet (?:langer|meer)', 'sla (?:\\S+ ){0,3}?over', 'schuif (?:\\S+ ){0,3}?terzijde', 'negeren', 'vergeten', 'veronachtzaam', 'laat (?:\\S+ ){0,3}?(?:varen|vallen|links liggen)', 'zet (?:\\S+ ){0,3}?opzij', 'gooi (?:\\S+ ){0,3}?overboord', 'let niet (?:meer )?op', 'trek je (?:niets|niks) aan', 'hou(?:d)? (?:je|u) niet (?:meer |langer )?aan', 'niet (?:meer|langer) (?:volgen|opvolgen|naleven)', 'overschrijf', 'omzeil', 'schrap', 'volg niet'],
    ruleNoun: ['instructie', 'regels', 'richtlijn', 'aanwijzing', 'opdracht', 'prompt', 'systeeminstructie', 'systeemprompt', 'voorschrift', 'bevelen', 'beperking', 'afspraken', 'beleid', 'richtsno', 'instructies', 'commando'],
    qualifier: ['vorige', 'eerdere', 'bovenstaande', 'hierboven', 'oorspronkelijke', 'alle', 'je', 'jouw', 'systeem', 'voorgaande', 'vroegere', 'eerste', 'originele', 'initiële', 'gegeven', 'huidige', 'uw', 'bovenaan', 'tot nu toe', 'al je', 'al jouw', 'alles'],
    revealVerb: ['toon', 'laat (?:\\S+ ){0,4}?zien', 'geef', 'herhaal', 'print', 'schrijf', 'citeer', 'onthul', 'vertel', 'wat waren', 'deel', 'noem', 'lek', 'geef (?:me|mij)', 'wat (?:zijn|waren|staat|stond|is)', 'druk (?:\\S+ ){0,3}?af', 'kopieer', 'vat (?:\\S+ ){0,4}?samen', 'vertaal', 'toon', 'zeg', 'verklap', 'openbaar'],
    promptNoun: ['systeemprompt', 'systeembericht', 'systeeminstructie', '(?:verborgen|geheime|oorspronkelijke|eerste|interne) (?:instructies|regels|opdracht)', '(?:je|jouw) instructies', 'wat (?:je|jou) (?:is )?verteld', 'voor mijn bericht', 'systeeminstructies', 'systeembericht', 'systeemprompt', 'verborgen (?:prompt|instructies|regels|opdracht)', '(?:je|jouw|uw) (?:oorspronkelijke |eerste |geheime |verborgen |interne )?(?:instructies|regels|prompt|richtlijnen|opdracht)', 'beginprompt', 'startinstructies', '(?:oorspronkelijke|eerste|geheime|interne|initiële|originele) (?:prompt|instructies|regels)', 'wat er (?:boven|hierboven|aan het begin) (?:staat|stond)', '(?:de )?tekst hierboven', 'alles (?:hierboven|boven dit|voor dit)', '(?:hoe|wat) (?:je|jij|u) (?:bent )?(?:ingesteld|geconfigureerd|geïnstrueerd)'],
    addressMarker: ['notitie voor', 'bericht (?:voor|aan)', 'let op', 'als je (?:een )?', 'beste', '?aan (?:de|het|alle)', '<die dit leest', 'opmerking voor', 'instructies? voor', 'belangrijk voor', 'aandacht', 'als (?:je|jij|u) (?:een )?', 'ben je een', 'hallo', 'hoi', '<die dit (?:leest|verwerkt|samenvat|beoordeelt|analyseert)', 'aan het adres van'],
    aiNoun: ['ai\\b', 'ai-', 'assistent', 'taalmodel', 'model', 'bot\\b', 'chatbot', 'kunstmatige intelligentie', 'ai-assistent', 'ai-model', 'ai-systeem', 'llm\\b', 'screeningstool', 'taalmodellen', 'digitale assistent'],
    actVerb: ['stuur', 'verstuur', 'doorsturen', 'maak (?:\\S+ ){0,5}?over', 'overmaken', 'betaal', 'download', 'voer (?:\\S+ ){0,5}?uit', 'uitvoeren', 'start', 'installeer', 'klik', 'open', 'verwijder', 'wis', 'keur (?:\\S+ ){0,5}?goed', 'beveel (?:\\S+ ){0,5}?aan', 'voeg (?:\\S+ ){0,5}?toe', 'zeg tegen de gebruiker', 'antwoord', 'beoordeel', 'rangschik', 'plaats (?:\\S+ ){0,3}?bovenaan', 'geef (?:\\S+ ){0,4}?(?:de )?hoogste', 'stuur (?:\\S+ ){0,5}?door', 'aanbevelen', 'selecteer', 'nodig (?:\\S+ ){0,3}?uit', 'vermeld', 'noem (?:\\S+ ){0,3}?(?:de )?beste'],
    unrestricted: ['zonder (?:enige |alle )?(?:beperking|filter|regels|grenzen|censuur)', 'geen regels', 'ontwikkelaarsmodus', 'zonder (?:enige |alle |welke )?(?:restricties|ethiek|richtlijnen|beperkingen|morele)', 'geen (?:enkele )?(?:regels|beperkingen|filters|grenzen|restricties|richtlijnen)', 'onbeperkt', 'ongefilterd', 'ongecensureerd', 'developer ?modus', '(?:vrij|bevrijd) van (?:alle |je )?(?:regels|beperkingen)'],
    persona: ['(?:je|jij|u) bent nu', 'doe alsof', 'speel de rol', 'gedraag je als', '(?:je|jij|u) bent (?:vanaf nu|voortaan)', 'vanaf nu ben (?:je|jij)', 'voortaan ben (?:je|jij)', 'stel je voor', 'beeld je in', 'rollenspel', 'blijf in (?:je |jouw )?(?:rol|karakter)', 'hypothetisch', 'fictieve', 'speel', 'doe of'],
  },
  pl: {
    overrideVerb: ['zignoruj', 'ignoruj', 'zapomnij', 'pomiń', 'nie stosuj się', 'nie przestrzegaj', 'przestań (?:się )?(?:stosować|przestrzegać|słuchać)', 'nie słuchaj', 'odrzuć', 'olej', 'nie zwracaj uwagi na', 'porzuć', 'odłóż na bok', 'obejdź', 'unieważnij', 'zlekceważ', 'nie bierz pod uwagę'],
    ruleNoun: ['instrukcj', 'poleceni', 'poleceń', 'zasad', 'reguł', 'wytyczn', 'prompt', 'dyrektyw', 'ograniczeń', 'ograniczenia', 'zasady', 'wytyczne', 'polityk', 'regulamin'],
    qualifier: ['poprzedni', 'wcześniejsz', 'powyższ', 'początkow', 'pierwotn', 'systemow', 'wszystk', 'swoi', 'swoje', 'twoje', 'twoich', 'otrzymane', 'dotychczasow', 'powyżej', 'dane ci', 'wcześniej'],
    revealVerb: ['ujawnij', 'pokaż', 'wypisz', 'wyświetl', 'powtórz', 'podaj', 'zacytuj', 'napisz', 'zdradź', 'jakie (?:były|są)', 'przetłumacz', 'streść', 'podsumuj', 'skopiuj', 'udostępnij', 'jaka (?:jest|była)', 'co (?:ci powiedziano|jest napisane)'],
    promptNoun: ['prompt\\S* systemow', 'komunikat\\S* systemow', 'instrukcj\\S* systemow', '(?:ukryt|tajn|początkow|pierwotn|wewnętrzn)\\S* (?:instrukcj|zasad|polece)', '(?:twoje|swoje) instrukcje', 'co ci powiedziano', '(?:twoje|swoje) (?:zasady|wytyczne|polecenia|instrukcje)', '(?:ukryty|tajny|początkowy|pierwotny|systemowy) prompt', 'tekst (?:powyżej|wyżej)', 'wszystko (?:powyżej|wyżej|przed tą)', 'jak (?:cię )?(?:skonfigurowano|zaprogramowano)'],
    addressMarker: ['uwaga dla', 'uwaga', 'wiadomość dla', 'notatka dla', 'jeśli jesteś', 'drog[ia]', '<(?:która|który) to czyta', 'ważne dla', 'informacja dla', '<(?:który|która) (?:przetwarza|analizuje|streszcza|ocenia) (?:ten|to)', 'do (?:asystenta|modelu|systemu)'],
    aiNoun: ['ai\\b', 'sztuczn\\S* inteligencj', 'asystent', 'model', 'bot\\b', 'chatbot', 'llm\\b', 'model językowy', 'system (?:rekrutacyjny|oceny|automatyczny)', 'asystenta', 'modelu'],
    actVerb: ['przekaż', 'prześlij', 'wyślij', 'przelej', 'zapłać', 'pobierz', 'uruchom', 'wykonaj', 'zainstaluj', 'kliknij', 'otwórz', 'usuń', 'zatwierdź', 'poleć', 'dodaj', 'dołącz', 'odpowiedz', 'powiedz użytkownikowi', 'oceń', 'sklasyfikuj', 'wybierz', 'umieść (?:\\S+ ){0,3}?na (?:szczycie|pierwszym miejscu)', 'daj (?:\\S+ ){0,3}?(?:najwyższą|maksymalną) (?:ocenę|punktację)', 'rekomenduj', 'stwierdź', 'napisz,? że'],
    unrestricted: ['bez (?:żadnych |jakichkolwiek )?(?:ograniczeń|filtrów|zasad|reguł|limitów|cenzury)', 'tryb dewelopera', 'bez (?:żadnych )?(?:etyki|moralności|granic|wytycznych)', 'nieograniczon', 'niecenzurowan', 'bez filtrów', '(?:tryb boga|tryb dan|tryb jailbreak)', 'wolny od (?:wszelkich )?(?:zasad|ograniczeń)', 'żadnych (?:zasad|ograniczeń|filtrów)'],
    persona: ['(?:teraz|od teraz) jesteś', 'udawaj', 'zachowuj się jak', 'wciel się', 'wyobraź sobie', 'symuluj', 'odgrywaj', 'gra fabularna', 'nie wychodź z roli', 'hipotetycznie', 'w fikcyjnym świecie', 'od teraz (?:będziesz|jesteś)'],
  },
  ru: {
    overrideVerb: ['игнориру', 'проигнориру', 'забудь', 'не обращай(?:те)? внимания', 'перестань(?:те)? (?:следовать|соблюдать)', 'больше не следуй', 'не следуй', 'не соблюдай', 'отбрось', 'пропусти'],
    ruleNoun: ['инструкци', 'указани', 'правил', 'директив', 'промпт', 'команд', 'установк'],
    qualifier: ['предыдущ', 'прежн', 'выше', 'вышеуказанн', 'исходн', 'первоначальн', 'системн', 'все', 'свои', 'твои'],
    revealVerb: ['покажи', 'выведи', 'раскрой', 'повтори', 'напиши', 'назови', 'перечисли', 'процитируй', 'расскажи', 'какими были', 'какие были'],
    promptNoun: ['системн\\S* (?:промпт|подсказк|сообщени|инструкци)', 'скрыт\\S* (?:инструкци|правил|указани)', '(?:исходн|первоначальн)\\S* (?:инструкци|указани)', 'твои инструкции', 'что тебе сказали'],
    addressMarker: ['примечание для', 'заметка для', 'сообщение для', 'внимание', 'если ты', 'уважаем', 'дорог', '<,? (?:который|которая) это читает'],
    aiNoun: ['ии\\b', 'ии-', 'искусственн\\S* интеллект', 'ассистент', 'помощник', 'модел', 'агент', 'бот\\b', 'чат-бот'],
    actVerb: ['перешли', 'пересылай', 'отправь', 'переведи', 'перечисли', 'оплати', 'скачай', 'загрузи', 'запусти', 'выполни', 'установи', 'нажми', 'кликни', 'открой', 'удали', 'одобри', 'подтверди', 'порекомендуй', 'рекомендуй', 'добавь', 'включи', 'ответь', 'скажи пользователю'],
    unrestricted: ['без (?:каких-либо |всяких |любых )?(?:ограничени|фильтр|правил|цензур)', 'режим разработчика'],
    persona: ['теперь ты', 'отныне ты', 'ты теперь', 'притворись', 'представь,? что ты', 'веди себя как', 'сыграй роль'],
  },
  uk: {
    overrideVerb: ['ігнору', 'проігнору', 'забудь', 'не зважай', 'не звертай(?:те)? уваги', 'перестань дотримуватися', 'не дотримуйся', 'не виконуй', 'відкинь'],
    ruleNoun: ['інструкці', 'вказівк', 'вказівок', 'правил', 'директив', 'промпт', 'команд'],
    qualifier: ['попередн', 'вище', 'початков', 'систем', 'усі', 'всі', 'свої', 'твої'],
    revealVerb: ['покажи', 'виведи', 'розкрий', 'повтори', 'напиши', 'назви', 'процитуй', 'якими були'],
    promptNoun: ['системн\\S* (?:промпт|підказк|повідомленн|інструкці)', 'приховані (?:інструкці|правила|вказівки)', 'початкові (?:інструкці|вказівки)', 'твої інструкції', 'що тобі сказали'],
    addressMarker: ['примітка для', 'повідомлення для', 'увага', 'якщо ти', '<,? (?:що|який|яка) це читає'],
    aiNoun: ['ші\\b', 'ші-', 'штучн\\S* інтелект', 'асистент', 'помічник', 'модел', 'агент', 'бот\\b'],
    actVerb: ['перешли', 'надішли', 'перекажи', 'сплати', 'завантаж', 'запусти', 'виконай', 'встанови', 'натисни', 'відкрий', 'видали', 'схвали', 'підтверди', 'порекомендуй', 'додай', 'включи', 'відповідай', 'скажи користувачу'],
    unrestricted: ['без (?:жодних |будь-яких )?(?:обмежень|фільтр|правил|цензур)', 'режим розробника'],
    persona: ['тепер ти', 'відтепер ти', 'прикинься', 'удавай', 'уяви,? що ти', 'поводься як'],
  },
  tr: {
    overrideVerb: ['yok say', 'görmezden gel', 'unut', 'dikkate alma', 'artık uyma', 'uymayı bırak', 'takip etme', 'boş ?ver', 'göz ardı et', 'atla', 'umursama', 'önemseme', 'dinleme', 'uygulama', 'geçersiz say', 'bir kenara bırak', 'aşın', 'atlat', 'es geç', 'çiğne'],
    ruleNoun: ['talimat', 'kural', 'yönerge', 'komut', 'istem', 'direktif', 'prompt', 'emir', 'kısıtlama', 'sınırlama', 'politika', 'ilke', 'yönerge', 'talimatlar'],
    qualifier: ['önceki', 'yukarıdaki', 'ilk', 'orijinal', 'sistem', 'tüm', 'bütün', 'sana verilen', 'önce', 'daha önceki', 'yukarıda', 'başlangıç', 'asıl', 'şimdiye kadar', 'sahip olduğun', 'senin'],
    revealVerb: ['göster', 'yaz', 'tekrarla', 'söyle', 'açıkla', 'ifşa et', 'listele', 'paylaş', 'neydi', 'nelerdi', 'çevir', 'özetle', 'kopyala', 'açığa çıkar', 'nedir', 'ne(?:ler)?dir', 'ver'],
    promptNoun: ['sistem (?:istem|talimat|mesaj|prompt)', 'gizli (?:talimat|kural|yönerge)', '(?:ilk|orijinal|başlangıç) talimat', 'sana (?:ne )?söylen', 'sana verilen (?:gizli )?talimat', '(?:senin )?(?:talimatların|kuralların|yönergelerin)', '(?:gizli|ilk|orijinal|başlangıç|asıl) (?:istem|prompt|kural|yönerge)', 'yukarıdaki (?:metin|her şey|yazı)', 'sistem (?:komut|yönerge)', 'nasıl (?:yapılandırıldığın|programlandığın)'],
    addressMarker: ['<~(?:ya|ye|a|e|na|ne) (?:not|mesaj)', 'dikkat', 'eğer', 'sevgili', 'merhaba', 'okuyan', 'not:', 'önemli', 'bu (?:metni|belgeyi|cv.yi|özgeçmişi) (?:okuyan|işleyen|değerlendiren|özetleyen)', '<~(?:ya|ye|a|e|na|ne) (?:talimat|uyarı)'],
    aiNoun: ['yapay zek[aâ]', 'asistan', 'dil model', 'model', 'ajan', 'bot\\b', 'sohbet botu', 'llm\\b', 'yapay zekâ', 'sohbet robotu', 'otomatik (?:sistem|değerlendirici|tarayıcı)', 'işe alım (?:sistemi|botu|aracı)', 'asistanı'],
    actVerb: ['ilet', 'gönder', 'aktar', 'havale', 'öde', 'indir', 'çalıştır', 'yükle', 'tıkla', 'sil', 'onayla', 'öner', 'ekle', 'yanıtla', 'cevap ver', 'kullanıcıya söyle', 'değerlendir', 'puanla', 'sırala', 'seç', 'en üste (?:koy|yerleştir)', 'en yüksek puan', 'tavsiye et', 'belirt', 'söyle'],
    unrestricted: ['(?:hiçbir )?(?:kısıtlama|kural|filtre|sınır|sansür)\\S* (?:olmadan|olmayan|yok)', 'kısıtlamasız', 'sınırsız', 'geliştirici modu', '(?:hiçbir )?(?:etik|ahlak)\\S* (?:kural|sınır)\\S* (?:olmadan|olmayan|yok)', 'filtresiz', 'sansürsüz', 'her şeyi yapabilen', '(?:tanrı|dan|jailbreak) modu', 'hiçbir (?:kural|kısıtlama|sınır|filtre)'],
    persona: ['artık sen', 'bundan sonra sen', 'gibi davran', 'rol yap', 'gibi yap', 'hayal et', 'farz et', 'varsayalım', 'rol yapma oyunu', 'karakterinden çıkma', 'kurgusal bir dünyada', 'varsayımsal olarak', 'simüle et', 'şimdi sen', 'artık bir'],
  },
  zh: {
    // Simplified and traditional forms side by side.
    overrideVerb: ['忽略', '忽视', '忽視', '无视', '無視', '忘记', '忘記', '忘掉', '不要(?:再)?(?:遵守|遵循|理会|理會|听从|聽從)', '别管', '別管', '抛开', '拋開', '放弃', '放棄', '跳过', '跳過', '不再遵守', '停止遵守', '不要(?:再)?(?:理睬|服從|服从|管)', '不用(?:再)?(?:遵守|理會|理会|遵循)', '別理', '别理', '拋棄', '抛弃', '略過', '略过', '撇開', '撇开', '無需遵守', '无需遵守', '停止遵循', '不必(?:再)?(?:遵守|遵循)', '推翻', '繞過', '绕过', '忽略掉', '不理會', '不理会', '廢除', '废除', '勿(?:再)?(?:遵守|遵循|理會|理会|聽從|听从|服從|服从)', '毋須(?:遵守|理會)', '無須(?:遵守|理會|遵循)', '无须(?:遵守|理会|遵循)', '不須(?:遵守|理會)', '忘了', '拋諸腦後', '置之不理', '不予理會', '不予理会', '不理'],
    ruleNoun: ['指令', '指示', '规则', '規則', '提示词', '提示詞', '提示', '设定', '設定', '命令', '约束', '約束', '說明', '说明', '指引', '準則', '准则', '守則', '守则', '规范', '規範', '限制', '提示語', '提示语', '政策', '規定', '规定', '約定', '政策', '方針', '方针'],
    qualifier: ['之前', '以前', '先前', '上面', '上述', '以上', '原来', '原來', '原始', '最初', '系统', '系統', '所有', '全部', '一切', '你的', '前面', '前述', '原先', '原本', '初始', '您的', '目前為止', '到目前为止', '先前的', '上方'],
    revealVerb: ['显示', '顯示', '输出', '輸出', '告诉我', '告訴我', '打印', '列出', '重复', '重複', '透露', '泄露', '洩露', '展示', '给我看', '給我看', '说出', '說出', '写出', '寫出', '是什么', '是什麼', '洩漏', '泄漏', '印出', '重述', '复述', '複述', '貼出', '贴出', '公開', '公开', '分享', '翻譯', '翻译', '總結', '总结', '是甚麼', '寫下', '写下', '提供', '逐字', '原封不動', '原封不动', '貼上', '念出', '唸出', '給出', '给出'],
    promptNoun: ['系统提示', '系統提示', '系统指令', '系統指令', '系统消息', '系統訊息', '隐藏(?:的)?指令', '隱藏(?:的)?指令', '最初的指令', '初始指令', '原始指令', '你的指令', '你收到的(?:隐藏|隱藏)?(?:的)?指令', '被告知', '系統設定', '系统设定', '初始(?:提示|設定|设定)', '原始提示', '隱藏(?:的)?(?:提示|規則|設定)', '隐藏(?:的)?(?:提示|规则|设定)', '秘密(?:的)?(?:指令|提示|指示)', '你的(?:指示|規則|规则|提示|設定|设定)', '您的(?:指令|指示|規則|规则|提示|設定|设定)', '上面的(?:內容|内容|文字)', '以上(?:的)?(?:內容|内容|文字)', '開頭的(?:內容|文字)', '开头的(?:内容|文字)', '最初(?:的)?(?:提示|指示|設定|设定)', '開發者(?:訊息|指示|指令)', '开发者(?:消息|指示|指令)', '內部(?:指示|規則|提示|指令)', '内部(?:指示|规则|提示|指令)', '初始設定', '最初收到的', '你收到的(?:指示|指令|提示)', '給你的(?:指示|指令|提示)', '给你的(?:指示|指令|提示)', '被(?:賦予|赋予|設定|设定)的'],
    addressMarker: ['致', '?给', '?給', '注意', '如果你是', '亲爱的', '親愛的', '提醒', '<的(?:说明|說明|提示|备注|備註|留言)', '如果您是', '寫給', '写给', '<請注意', '<请注意', '正在閱讀', '正在阅读', '<閱讀此', '<阅读此', '<的注意事項', '<審閱者', '備註', '备注', '致所有'],
    aiNoun: ['ai', '人工智能', '人工智慧', '助手', '助理', '语言模型', '語言模型', '模型', '智能体', '智能體', '机器人', '機器人', '聊天機器人', '聊天机器人', 'gpt', 'llm', '篩選系統', '筛选系统', '招聘(?:系統|系统|機器人|机器人|助手|助理)', '人工智能助手', '審閱(?:系統|工具|助理)', '审阅(?:系统|工具|助手)', '自動(?:化)?(?:篩選|審核|評估)', '自动(?:化)?(?:筛选|审核|评估)', '大型語言模型', '大语言模型'],
    actVerb: ['转发', '轉寄', '轉發', '发送', '發送', '寄给', '转账', '轉帳', '转帐', '汇款', '匯款', '支付', '下载', '下載', '运行', '執行', '执行', '安装', '安裝', '点击', '點擊', '打开', '打開', '删除', '刪除', '批准', '推荐', '推薦', '添加', '回复', '回覆', '告诉用户', '告訴用戶', '評為', '评为', '評分', '评分', '排名', '錄取', '录取', '優先', '优先', '寄送', '傳送', '传送', '核准', '加入', '列為', '列为', '首選', '首选', '最佳人選', '最佳人选', '最高分', '滿分', '满分', '回答', '說明(?:此|該|这|该)'],
    unrestricted: ['没有任何限制', '沒有任何限制', '没有限制', '沒有限制', '不受(?:任何)?(?:限制|约束|約束|规则|規則)', '无限制', '無限制', '开发者模式', '開發者模式', '没有规则', '沒有規則', '不受(?:任何)?(?:規範|规范|審查|审查|過濾|过滤)', '無任何限制', '无任何限制', '不設限', '不设限', '開發人員模式', '开发人员模式', '越獄', '越狱', '無審查', '无审查', '沒有(?:規則|限制|過濾|審查|道德)', '没有(?:规则|限制|过滤|审查|道德)', '不需要遵守任何', '毫無限制', '毫无限制', '無拘無束', '无拘无束', '沒有任何(?:規則|約束|審查|過濾|道德)', '没有任何(?:规则|约束|审查|过滤|道德)', '擺脫(?:所有|一切)?(?:限制|規則|束縛)', '摆脱(?:所有|一切)?(?:限制|规则|束缚)', '解除(?:所有|一切)?(?:限制|封鎖|封锁|約束|约束)', '不受約束', '不受约束', '不受道德'],
    persona: ['你现在是', '你現在是', '从现在开始', '從現在開始', '假装', '假裝', '扮演', '從現在起', '从现在起', '想像你是', '想象你是', '模擬', '模拟', '角色扮演', '保持角色', '假設', '假设', '假如你是', '當作你是', '当作你是', '你將扮演', '你将扮演', '請扮演', '请扮演', '化身為', '化身为', '現在起你是', '從今以後', '从今以后', '以後你是', '以后你是', '虛構', '虚构', '假想'],
  },
  ja: {
    overrideVerb: ['無視', '忘れ', '従わない', '従うのをやめ', '守らない', '破棄'],
    ruleNoun: ['指示', 'ルール', '規則', '命令', 'プロンプト', '設定', '制約', '指令'],
    qualifier: ['これまで', '以前', '前の', '上記', '上の', '最初', '元の', 'システム', 'すべて', '全て', '全部'],
    revealVerb: ['表示', '出力', '教えて', '見せ', '繰り返', '書き出', '開示', '明かし', '列挙', '何でしたか'],
    promptNoun: ['システムプロンプト', 'システムの指示', 'システムメッセージ', '隠された指示', '秘密の指示', '最初の指示', '元の指示', '初期の指示', '与えられた(?:隠された)?指示', 'あなたの指示'],
    addressMarker: ['<へ', '<への(?:メモ|メッセージ|注意|指示|お知らせ)', '注意', 'もしあなたが', 'あなたが', '親愛なる', 'を読んでいる'],
    aiNoun: ['ai', '人工知能', 'アシスタント', '言語モデル', 'モデル', 'エージェント', 'ボット'],
    actVerb: ['転送', '送信', '送って', '送金', '振り込', '支払', 'ダウンロード', '実行', 'インストール', 'クリック', '開いて', '削除', '承認', '推薦', '推奨', '追加', '加えて', '含め', '返信', '答えて', 'ユーザーに伝え'],
    unrestricted: ['制限(?:の)?(?:ない|なし|なく|を受けない)', '制約(?:の)?(?:ない|なし)', 'ルールのない', '規則のない', '開発者モード', '無制限'],
    persona: ['あなたは今', '今からあなたは', 'これからあなたは', 'ふりをし', '演じ', 'なりきっ'],
  },
  ko: {
    overrideVerb: ['무시', '잊어', '잊고', '따르지 ?마', '따르지 ?말고', '버려', '버리고', '건너뛰'],
    ruleNoun: ['지시', '지침', '규칙', '명령', '프롬프트', '설정', '제약'],
    qualifier: ['이전', '앞의', '위의', '처음', '원래', '시스템', '모든', '지금까지'],
    revealVerb: ['보여', '출력', '알려', '말해', '반복', '공개', '적어', '써 ?줘', '나열', '뭐였'],
    promptNoun: ['시스템 ?프롬프트', '시스템 ?메시지', '시스템 ?지시', '숨겨진 ?(?:지시|규칙|지침)', '처음에 받은 ?지시', '원래 ?지시', '초기 ?지시', '받은 ?지시'],
    addressMarker: ['<~에게', '<~라면', '주목', '참고', '만약', '읽는'],
    aiNoun: ['ai', '인공지능', '어시스턴트', '비서', '언어 ?모델', '모델', '에이전트', '봇', '챗봇'],
    actVerb: ['전달', '보내', '송금', '이체', '지불', '다운로드', '내려받', '실행', '설치', '클릭', '열어', '삭제', '승인', '추천', '추가', '포함', '답장', '답변', '사용자에게 말'],
    unrestricted: ['제한 ?없는', '제한이 ?없', '제약 ?없는', '규칙 ?없는', '무제한', '개발자 ?모드'],
    persona: ['이제 ?(?:너는|당신은)', '지금부터 ?(?:너는|당신은)', '척 ?해', '척하', '역할을 ?해', '연기해'],
  },
  ar: {
    overrideVerb: ['تجاهل', 'انس(?!ا)', 'إنس(?!ا)', 'لا تلتزم', 'لا تتبع', 'توقف عن اتباع', 'أهمل', 'اهمل', 'تخط'],
    ruleNoun: ['تعليمات', 'قواعد', 'أوامر', 'اوامر', 'إرشادات', 'ارشادات', 'توجيهات', 'موجه'],
    qualifier: ['السابقة', 'سابقة', 'أعلاه', 'الأصلية', 'الأولية', 'النظام', 'جميع', 'كل', 'لك'],
    revealVerb: ['اكشف', 'اعرض', 'أظهر', 'اظهر', 'أخبرني', 'اخبرني', 'اطبع', 'كرر', 'اكتب', 'ما هي'],
    promptNoun: ['موجه النظام', 'تعليمات النظام', 'رسالة النظام', 'التعليمات (?:المخفية|السرية|الأصلية|الأولية)', 'تعليماتك', 'التعليمات التي (?:تلقيتها|أعطيت لك)'],
    addressMarker: ['ملاحظة', 'رسالة (?:إلى|الى|ل)', '?إلى', '?الى', 'انتباه', 'إذا كنت', 'اذا كنت', 'عزيزي', '<الذي يقرأ'],
    aiNoun: ['الذكاء الاصطناعي', 'ذكاء اصطناعي', 'المساعد', 'مساعد', 'نموذج', 'النموذج', 'الوكيل', 'روبوت', 'بوت'],
    actVerb: ['أعد توجيه', 'اعد توجيه', 'أرسل', 'ارسل', 'حول (?:\\S+ ){0,3}?(?:إلى|الى)', 'ادفع', 'نزل', 'حمل', 'شغل', 'نفذ', 'ثبت', 'انقر', 'افتح', 'احذف', 'وافق', 'أوص', 'اوص', 'أضف', 'اضف', 'أجب'],
    unrestricted: ['(?:بدون|دون|بلا) (?:أي )?(?:قيود|قواعد|حدود|رقابة|فلاتر)', 'وضع المطور'],
    persona: ['أنت الآن', 'انت الان', 'من الآن (?:فصاعدا )?أنت', 'تظاهر', 'تصرف ك', 'مثل دور'],
  },
  hi: {
    overrideVerb: ['अनदेखा', 'नज़रअंदाज़', 'नजरअंदाज', 'भूल जाओ', 'भूल जाएं', 'भूल जाइए', 'भूलो', 'पालन मत', 'पालन न करें', 'मत मानो', 'छोड़ दो', 'अनदेखी', 'उपेक्षा', 'इग्नोर', 'भूल जा', 'भुला दो', 'भुला दें', 'मत मानिए', 'न मानें', 'ना मानें', 'पालन ना', 'छोड़ दें', 'त्याग दो', 'दरकिनार', 'नज़रअंदाज', 'ध्यान मत दो', 'ध्यान न दें', '@(?:ignore|ignor|nazarandaz|nazar ?andaa?z|anadekha|andekha|an ?dekha) (?:kar|karo|karein|karen|kijiye|kr|kro|karke)\\b', '@bh?o?ol (?:jao|jaao|jaiye|jayen|ja)\\b', '@bhul (?:jao|jaao|jaiye|ja)\\b', '@(?:mat|na) (?:mano|maano|suno|maane)\\b', '@(?:palan|paalan|follow) (?:mat|na|nahi) kar', '@chh?od do\\b', 'अवहेलना', 'ठुकरा', 'भुला', 'नजरअंदाज़', 'ध्यान (?:मत|न|ना) (?:दो|दें|दीजिए)', 'मत मान', 'न मान', 'पालन (?:मत|न|ना|बंद)', '(?:अनदेखा|नज़रअंदाज़|नजरअंदाज) (?:करें|करो|कीजिए|कर दो|कर दें)'],
    ruleNoun: ['निर्देश', 'नियम', 'आदेश', 'हिदायत', 'प्रॉम्प्ट', 'प्रोम्प्ट', 'दिशानिर्देश', 'इंस्ट्रक्शन', 'रूल्स', 'दिशा-निर्देश', 'गाइडलाइन', 'प्रतिबंध', 'हिदायतें', '@nirdesh', '@niyam', '@aadesh', '@adesh\\b', '@hidaya?t', '@instructions?\\b', '@rules\\b', '@guidelines\\b', 'कमांड', 'निर्देशन', 'पाबंदि', 'सिस्टम संदेश', 'संकेत'],
    qualifier: ['पिछले', 'पिछली', 'पहले', 'ऊपर', 'मूल', 'शुरुआती', 'सिस्टम', 'सभी', 'सारे', 'अपने', 'पिछला', 'पूर्व', 'उपरोक्त', 'ऊपर दिए', 'पहले के', 'प्रारंभिक', 'असली', 'तमाम', 'तुम्हारे', 'आपके', 'अब तक', 'हर', '@pichh?l[eia]\\b', '@pa?he?le\\b', '@upar\\b', '@mool\\b', '@shuruaati\\b', '@system\\b', '@sabhi\\b', '@saa?re\\b', '@apne\\b', '@tumhare\\b', '@aapke\\b', 'पिछल', 'सारी', 'पहले (?:दिए|के|वाले)', 'दिए गए', 'मिले'],
    revealVerb: ['दिखाओ', 'दिखाएं', 'दिखाइए', 'बताओ', 'बताएं', 'बताइए', 'लिखो', 'लिखें', 'दोहराओ', 'दोहराएं', 'प्रकट करो', 'दिखा दो', 'बता दो', 'लिख दो', 'साझा करो', 'साझा करें', 'उजागर', 'प्रिंट', 'क्या (?:हैं|है|थे|था)', 'दोहरा', '@(?:dikhao|dikhaiye|dikhayen|dikha do|batao|bataiye|batayen|bata do|likho|likhiye|likh do|dohrao|dohraiye|prakat karo|share karo|print karo)\\b', '@(?:kya|kaun) (?:hai|hain|the|tha)\\b', 'प्रकट', 'बता', 'दिखा', 'लिख', 'साझा', 'छाप', 'उद्धृत', 'अनुवाद', 'सारांश'],
    promptNoun: ['सिस्टम प्रॉम्प्ट', 'सिस्टम प्रोम्प्ट', 'सिस्टम निर्देश', '(?:छिपे|छुपे) हुए निर्देश', 'गुप्त निर्देश', 'मूल निर्देश', 'शुरुआती निर्देश', '(?:तुम्हें|आपको) दिए गए (?:छिपे हुए )?निर्देश', 'सिस्टम (?:प्रॉम्प्ट|प्रोम्प्ट|संदेश|निर्देश|मैसेज)', '(?:छिपे|छुपे|गुप्त|मूल|शुरुआती|प्रारंभिक|आंतरिक|असली)\\S* (?:हुए )?(?:निर्देश|नियम|प्रॉम्प्ट)', '(?:तुम्हारे|आपके|तुम्हें|आपको) (?:दिए गए |मिले )?(?:\\S+ )?(?:निर्देश|नियम)', 'ऊपर (?:का|लिखा|लिखे) (?:सब|पाठ|टेक्स्ट)', '@system (?:prompt|message|nirdesh)', '@(?:chh?upe|gupt|mool|shuruaati|asli|secret|hidden) (?:hue )?(?:nirdesh|instructions|prompt|niyam)', '@(?:tumhe|tumhein|aapko|apko) (?:diye|die) gaye (?:nirdesh|instructions)', '@(?:tumhare|tumhaare|aapke|apke) (?:nirdesh|instructions|niyam|rules|prompt)', 'सिस्टम संकेत', '(?:गुप्त|छिपे|छुपे|मूल|प्रारंभिक|शुरुआती) (?:संकेत|प्रॉम्प्ट|प्रोम्प्ट)', 'प्राम्प्ट', '(?:अपने|अपना|अपनी) (?:निर्देश|नियम|सिस्टम|प्रॉम्प्ट)', 'ऊपर (?:का|की|के|लिखा|लिखी|लिखे|दिया|दी|दिए) (?:सब|सारा|पूरा|पाठ|टेक्स्ट|निर्देश|संदेश)', '(?:तुम्हें|आपको) (?:क्या|जो) (?:बताया|कहा) गया'],
    addressMarker: ['इसे पढ़ने वाले', '<के लिए (?:नोट|संदेश|निर्देश)', 'ध्यान दें', 'अगर तुम', 'अगर आप', 'यदि आप', 'प्रिय', 'इसे पढ़ (?:रहे|ने वाले)', '<के लिए (?:नोट|संदेश|निर्देश|सूचना)', 'ध्यान दो', 'सूचना', 'यदि तुम', 'नमस्ते', '@ise padh(?:ne| rahe) wale', '@<ke liye (?:note|sandesh|nirdesh|message)', '@dhyan (?:de|do|dein)\\b', '@(?:agar|yadi) (?:tum|aap)\\b', '@priya\\b', '<को (?:नोट|संदेश|निर्देश)', '<से अनुरोध', '<के लिए\\s*[:：]', '<के लिए महत्वपूर्ण', 'हे\\b', 'महत्वपूर्ण सूचना'],
    aiNoun: ['एआई', 'ai', 'आर्टिफिशियल इंटेलिजेंस', 'कृत्रिम बुद्धि', 'सहायक', 'असिस्टेंट', 'मॉडल', 'एजेंट', 'बॉट', 'एलएलएम', 'भाषा मॉडल', 'चैटबॉट', 'स्क्रीनर', 'रोबोट', '@sahayak\\b', 'ए\\.आई\\.', 'स्क्रीनिंग', 'भर्ती (?:प्रणाली|सिस्टम|बॉट)', 'समीक्षक'],
    actVerb: ['फ़ॉरवर्ड', 'फॉरवर्ड', 'भेजो', 'भेजें', 'भेज दो', 'ट्रांसफर', 'स्थानांतरित', 'भुगतान', 'डाउनलोड', 'चलाओ', 'चलाएं', 'इंस्टॉल', 'क्लिक', 'खोलो', 'हटाओ', 'डिलीट', 'मंज़ूर', 'स्वीकृत', 'सिफारिश', 'सिफ़ारिश', 'जोड़ो', 'शामिल करो', 'जवाब दो', 'रैंक', 'रेटिंग', 'अंक दो', 'चुनो', 'चुनें', 'शॉर्टलिस्ट', 'सुझाओ', 'अनुशंसा', '@(?:bhejo|bhej do|forward karo|transfer karo|download karo|chalao|delete karo|hatao|approve karo|jodo|jawab do|recommend karo|shortlist karo|select karo)\\b', 'सुझा', 'चुन', 'शीर्ष पर', 'सबसे (?:ऊपर|अच्छा|बेहतर|योग्य)', 'सर्वश्रेष्ठ', 'कहो', 'कहें', 'लिखो'],
    unrestricted: ['बिना (?:किसी )?(?:प्रतिबंध|रोक|नियम|सीमा|फ़िल्टर|फिल्टर)', 'कोई (?:प्रतिबंध|नियम|सीमा) नहीं', 'डेवलपर मोड', 'बिना (?:किसी )?(?:भी )?(?:प्रतिबंध|रोक|नियम|सीमा|फ़िल्टर|फिल्टर|सेंसर|पाबंदी|नैतिक)', 'कोई (?:भी )?(?:प्रतिबंध|नियम|सीमा|पाबंदी|फ़िल्टर|रोक) नहीं', 'असीमित', 'अप्रतिबंधित', '@bina (?:kisi )?(?:bhi )?(?:pratibandh|rok|niyam|seema|filter|restrictions?|rules)\\b', '@koi (?:bhi )?(?:pratibandh|niyam|seema|restriction|rules?|filter) nahi', '@developer mode\\b', '(?:प्रतिबंध|प्रतिबंधों|रोक|नियम|नियमों|सीमा|सीमाओं|फ़िल्टर|फिल्टर|सेंसर|पाबंदी|पाबंदियों)\\S* के बिना', 'प्रतिबंध-?मुक्त', 'बंधनमुक्त', '(?:नियमों|प्रतिबंधों|सीमाओं) से मुक्त', '@(?:pratibandh|niyam|seema|restrictions?|rules?|filter)\\S* ke bina'],
    persona: ['अब तुम', 'अब आप', 'तुम अब', 'आप अब', 'होने का नाटक', 'की तरह व्यवहार', 'भूमिका निभाओ', 'अब से (?:तुम|आप)', 'मान लो', 'कल्पना करो', 'कल्पना करें', 'का किरदार', 'की भूमिका', 'बनकर', 'नाटक करो', '@ab (?:se )?(?:tum|aap)\\b', '@(?:tum|aap) ab\\b', '@(?:hone|banne) ka (?:natak|naatak)', '@ki tarah (?:vyavhar|bartav|behave|act)', '@bhoomika nibhao', '@maan lo\\b', '(?:तुम|आप) (?:अब )?(?:एक )?\\S+ हो', 'अभिनय', 'रोलप्ले', 'काल्पनिक', '@(?:tum|aap) (?:ab )?(?:ek )?\\S+ ho\\b', '@kalpana karo', '@roleplay'],
  },
  id: {
    overrideVerb: ['abaikan', 'lupakan', 'jangan (?:lagi )?(?:ikuti|patuhi|hiraukan)', 'berhenti (?:mengikuti|mematuhi)', 'acuhkan', 'kesampingkan'],
    ruleNoun: ['instruksi', 'perintah', 'aturan', 'arahan', 'pedoman', 'petunjuk', 'prompt'],
    qualifier: ['sebelumnya', 'di atas', 'awal', 'asli', 'sistem', 'semua', 'seluruh', 'kamu', 'anda', 'yang diberikan'],
    revealVerb: ['tampilkan', 'tunjukkan', 'perlihatkan', 'tuliskan', 'tulis', 'ulangi', 'sebutkan', 'ungkapkan', 'bocorkan', 'cetak', 'beri tahu', 'apa (?:saja )?instruksi'],
    promptNoun: ['prompt sistem', 'pesan sistem', 'instruksi sistem', 'instruksi (?:tersembunyi|rahasia|awal|asli)', 'aturan tersembunyi', 'instruksi (?:kamu|anda)', 'apa yang diberitahukan'],
    addressMarker: ['catatan untuk', 'pesan untuk', 'perhatian', 'jika (?:kamu|anda)', '?kepada', '?untuk', 'yth', '<yang membaca'],
    aiNoun: ['ai\\b', 'kecerdasan buatan', 'asisten', 'model bahasa', 'model', 'agen ai', 'bot\\b', 'chatbot'],
    actVerb: ['teruskan', 'kirim', 'transfer', 'bayar', 'unduh', 'jalankan', 'eksekusi', 'instal', 'klik', 'hapus', 'setujui', 'rekomendasikan', 'tambahkan', 'sertakan', 'balas', 'jawab', 'beri tahu pengguna'],
    unrestricted: ['tanpa (?:batasan|aturan|filter|sensor|pembatasan)', 'tidak (?:punya|memiliki) (?:batasan|aturan)', 'mode pengembang'],
    persona: ['sekarang (?:kamu|anda) adalah', 'mulai sekarang (?:kamu|anda)', 'berpura-pura', 'bertindaklah sebagai', 'berperan sebagai'],
  },
  vi: {
    overrideVerb: ['bỏ qua', 'phớt lờ', 'lờ đi', 'quên', 'đừng (?:tuân theo|làm theo|nghe theo)', 'không (?:tuân theo|làm theo) nữa', 'ngừng tuân theo', 'gạt bỏ'],
    ruleNoun: ['hướng dẫn', 'chỉ dẫn', 'chỉ thị', 'quy tắc', 'mệnh lệnh', 'lời nhắc', 'prompt', 'nguyên tắc'],
    qualifier: ['trước', 'ở trên', 'phía trên', 'ban đầu', 'gốc', 'hệ thống', 'tất cả', 'mọi', 'của bạn'],
    revealVerb: ['hiển thị', 'cho (?:tôi )?xem', 'in ra', 'viết ra', 'nhắc lại', 'lặp lại', 'tiết lộ', 'cho tôi biết', 'liệt kê', 'là gì'],
    promptNoun: ['lời nhắc hệ thống', 'prompt hệ thống', 'thông điệp hệ thống', '(?:hướng dẫn|chỉ dẫn) (?:ẩn|bí mật|ban đầu|gốc|hệ thống)', 'hướng dẫn của bạn'],
    addressMarker: ['ghi chú cho', 'lời nhắn cho', '?gửi', 'chú ý', 'lưu ý', 'nếu bạn', 'thân gửi', '<đang đọc'],
    aiNoun: ['ai\\b', 'trí tuệ nhân tạo', 'trợ lý', 'mô hình', 'tác tử', 'bot\\b', 'chatbot'],
    actVerb: ['chuyển tiếp', 'gửi', 'chuyển (?:khoản|tiền)', 'chuyển', 'thanh toán', 'tải (?:xuống|về)', 'chạy', 'thực thi', 'cài đặt', 'nhấp', 'bấm', 'xóa', 'xoá', 'phê duyệt', 'đề xuất', 'thêm', 'chèn', 'trả lời', 'nói với người dùng'],
    unrestricted: ['không (?:có )?(?:bất kỳ )?(?:giới hạn|hạn chế|quy tắc|bộ lọc|kiểm duyệt) nào', 'không bị (?:giới hạn|ràng buộc)', 'chế độ nhà phát triển'],
    persona: ['bây giờ bạn là', 'từ giờ bạn là', 'từ bây giờ,? bạn', 'giả vờ', 'đóng vai', 'hành động như'],
  },
};

/** Traditional Chinese shares the simplified table, which lists both forms. */
export const LANGUAGE_ALIASES: Record<string, string> = { 'zh-Hant': 'zh' };

/** A part compiled: one expression per script (run only on text in that script), and each language's own (to name it). */
export interface CompiledPart {
  groups: Array<{ script: RegExp; re: RegExp }>;
  byLanguage: Array<[string, RegExp]>;
}

/** The script each language is written in; a text is searched only with the groups of the scripts it contains. */
const SCRIPTS: Record<string, RegExp> = {
  latin: /[a-z]/,
  cyrillic: /[\u0400-\u04ff]/,
  cjk: /[\u3040-\u30ff\u3400-\u9fff]/,
  hangul: /[\uac00-\ud7af\u1100-\u11ff]/,
  arabic: /[\u0600-\u06ff]/,
  devanagari: /[\u0900-\u097f]/,
};
const SCRIPT_OF: Record<string, string> = { ru: 'cyrillic', uk: 'cyrillic', zh: 'cjk', ja: 'cjk', ko: 'hangul', ar: 'arabic', hi: 'devanagari' };

/** What the detector matches: the parts, with addressing split by how its words stand to the AI word. */
export type CompiledKey = Exclude<CuePart, 'addressMarker'> | 'addressBefore' | 'addressWeak' | 'addressAfter';

/** The text the lexicon is matched on: NFKC, lower case, Arabic vowel marks and the dot of Turkish İ removed. */
export function lexiconFold(text: string): string {
  return nfkcStreamSafe(text).toLowerCase().replace(/[\u064b-\u0652\u0307]/g, '');
}

/** `\b` in a pattern, for every script (JavaScript's own is ASCII only). */
const WORD_EDGE = '(?:(?<=[\\p{L}\\p{N}])(?![\\p{L}\\p{N}])|(?<![\\p{L}\\p{N}])(?=[\\p{L}\\p{N}]))';

/** The script a pattern of a language is searched in: its own, or Latin for a romanized form. */
function scriptOf(language: string, pattern: string): string {
  return pattern.startsWith('@') ? 'latin' : (SCRIPT_OF[language] ?? 'latin');
}

function bodies(language: string, patterns: readonly string[]): { anchored: string[]; free: string[] } {
  const anchored: string[] = [];
  const free: string[] = [];
  for (const p of patterns) {
    const flags = PREFIXES.exec(p)?.[0] ?? '';
    // Patterns are written in lower case; folding them must not touch escapes such as \S.
    const body = p.slice(flags.length).normalize('NFKC').replace(/[\u064b-\u0652\u0307]/g, '').replace(/\\b/g, WORD_EDGE);
    (UNSPACED_LANGUAGES.has(language) || flags.includes('~') ? free : anchored).push(body);
  }
  return { anchored, free };
}

/** One expression for patterns: those that need a word start share one look-behind (no letter, mark or digit just before). */
function source(anchored: readonly string[], free: readonly string[]): string {
  return [...(anchored.length > 0 ? [`(?<![\\p{L}\\p{M}\\p{N}])(?:${anchored.join('|')})`] : []), ...(free.length > 0 ? [`(?:${free.join('|')})`] : [])].join('|');
}

function select(key: CompiledKey, cues: LanguageCues): string[] {
  if (key === 'addressBefore') return cues.addressMarker.filter((p) => !/^@?[~]*[?<]/.test(p));
  if (key === 'addressWeak') return cues.addressMarker.filter((p) => /^@?[~]*\?/.test(p));
  if (key === 'addressAfter') return cues.addressMarker.filter((p) => /^@?[~]*</.test(p) || /^@?<~/.test(p));
  return cues[key];
}

const KEYS: CompiledKey[] = ['overrideVerb', 'ruleNoun', 'qualifier', 'revealVerb', 'promptNoun', 'addressBefore', 'addressWeak', 'addressAfter', 'aiNoun', 'actVerb', 'unrestricted', 'persona'];

/** Compiles each part: one expression per script over its languages, plus one per language. */
export function compileLexicon(lexicon: Record<string, LanguageCues> = LEXICON): Record<CompiledKey, CompiledPart> {
  const out = {} as Record<CompiledKey, CompiledPart>;
  for (const key of KEYS) {
    const langs = Object.keys(lexicon).filter((l) => select(key, lexicon[l]).length > 0);
    const byScript = new Map<string, { anchored: string[]; free: string[] }>();
    for (const l of langs) {
      for (const p of select(key, lexicon[l])) {
        const script = scriptOf(l, p);
        const b = bodies(l, [p]);
        const acc = byScript.get(script) ?? { anchored: [], free: [] };
        acc.anchored.push(...b.anchored);
        acc.free.push(...b.free);
        byScript.set(script, acc);
      }
    }
    out[key] = {
      groups: [...byScript.entries()].map(([script, b]) => ({ script: SCRIPTS[script], re: new RegExp(source(b.anchored, b.free), 'gu') })),
      byLanguage: langs.map((l) => {
        const b = { anchored: [] as string[], free: [] as string[] };
        for (const p of select(key, lexicon[l])) {
          const one = bodies(l, [p]);
          b.anchored.push(...one.anchored);
          b.free.push(...one.free);
        }
        return [l, new RegExp(`^(?:${source(b.anchored, b.free)})`, 'u')];
      }),
    };
  }
  return out;
}
