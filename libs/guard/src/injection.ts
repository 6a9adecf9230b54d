import { combineCues, lexiconCues, cueClass, type Cue } from './injection-cues';
import { decodedVariants, reverseText, rot13, type DecoderName } from './injection-decoders';
import { modelReading } from './injection-model';
import { INJECTION_MODEL } from './injection-model-weights';
import { nfkcStreamSafe } from './normalize';

/** How sure the detector is that a text tries to take over the model. */
export type InjectionVerdict = 'clean' | 'suspicious' | 'injection';

/** One rule that fired, with the words that made it fire. */
export interface InjectionSignal {
  /** Rule id, `family.rule` (instruction_override.ignore_previous, chat_delimiter.special_token, …). */
  rule: string;
  /** The matching text (normalised: lower case, invisible characters removed), at most 120 characters. */
  excerpt: string;
  /** How much this rule counts, 0–1. */
  weight: number;
}

export interface InjectionResult {
  verdict: InjectionVerdict;
  /** 0–1: rules combine as independent evidence, 1 − Π(1 − weight), each rule counted once. */
  score: number;
  signals: InjectionSignal[];
}

export interface InjectionOptions {
  /**
   * Where the text comes from. `user`: typed by the person the model works for, who
   * may legitimately ask to send mail or move money. `tool` (default): content a tool
   * returned (web page, e-mail, file), where instructions to act are themselves a signal.
   */
  source?: 'user' | 'tool';
  /** Score from which the verdict is `suspicious` (default 0.4). */
  suspiciousAt?: number;
  /** Score from which the verdict is `injection` (default 0.7). */
  injectionAt?: number;
}

type Weight = number | { user: number; tool: number };

interface Rule {
  rule: string;
  weight: Weight;
  re: RegExp;
  /** Match the normalised text with its case kept (for ALL_CAPS placeholders in URLs). */
  cased?: boolean;
  /** Adjusts or vetoes a match: the weight to use, or 0 to drop it. */
  check?: (match: RegExpMatchArray, text: string, weight: number) => number;
}

// ---------------------------------------------------------------- characters that hide text

/** Zero-width and invisible formatting characters with no business in ordinary text. */
const INVISIBLE = /[\u200b\u2060-\u2064\ufeff\u180e\u00ad]/g;
/** Joiners are legitimate in emoji sequences and in Persian or Indic script; between Latin letters they hide words. */
const LATIN_JOINER = /(?<=[A-Za-z])[\u200c\u200d]+(?=[A-Za-z])/g;
const BIDI = /[\u202a-\u202e\u2066-\u2069\u200e\u200f]/g;
/** Text a page carries but does not show: an HTML comment, an alt, aria-label or title attribute, an element styled invisible. */
const HIDDEN_CARRIER =
  /<!--([\s\S]{0,1000}?)-->|\b(?:alt|aria-label|title)\s*=\s*"([^"]{0,600})"|\b(?:alt|aria-label|title)\s*=\s*'([^']{0,600})'|style\s*=\s*["'][^"']{0,200}(?:display\s*:\s*none|font-size\s*:\s*0|opacity\s*:\s*0|color\s*:\s*(?:white|#fff(?:fff)?\b|transparent))[^"']{0,100}["'][^>]{0,200}>([^<]{0,600})/gi;
/** Words that make a hidden passage read as a command to a model. */
const COMMAND_WORDS =
  /\b(?:ignore|disregard|forget|override|assistant|ai|llm|gpt|chatbot|language model|instructions?|system prompt|you must|you should|you are now|recommend|rank|shortlist|reply|respond|tell the user|forward|do not (?:tell|mention|reveal)|summary|summari[sz]e)\b/g;
/** Unicode tag characters mirror ASCII and render as nothing: a way to smuggle text. */
const TAGS = /[\u{e0000}-\u{e007f}]+/gu;
/** The one legitimate use: subdivision flags, a black flag followed by a few tags (🏴 + gbeng + cancel). */
const FLAG_TAGS = /^[\u{e0061}-\u{e007a}\u{e0030}-\u{e0039}]{2,6}\u{e007f}$/u;

// ---------------------------------------------------------------- phrase rules (on normalised text)

const W = (words: string): string => `(?:${words})`;
/** Up to n words in between. */
const GAP = (n: number): string => `(?: \\S+){0,${n}}?`;

const OVERRIDE_VERB = W(
  "ignore|ignoring|disregard|disregarding|forget|forgetting|override|overriding|skip|bypass|neglect|discard|abandon|nullify|set aside|put aside|throw away|pay no (?:attention|heed) to|stop following|do not follow|don't follow|no longer follow|do not obey|don't obey|disobey|omit|scrap|ditch|dismiss|move past|look past|leave behind|never mind|stop (?:obeying|adhering to|complying with|listening to)|(?:do not|don't) (?:adhere to|comply with|stick to|listen to)",
);
const CONVERSATION_ADJ = W('previous|prior|above|earlier|preceding|foregoing|former|original|initial|system|safety|developer|existing|current|all|any|every|your|underlying|built-in');
const RULE_NOUN = W(
  'instructions?|prompts?|directives?|directions|programming|guardrails|system (?:prompt|message)|guidelines|guidance|rules|constraints|restrictions|polic(?:y|ies)|content policy|commands|context|orders|protocols|safeguards|safety (?:filters|measures|checks|settings)',
);
const CORE_NOUN = W('instructions?|prompts?|directives?|programming|guardrails');

const PERSONA = W('ai|assistant|model|bot|chatbot|persona|character|version of yourself|llm|entity');
const NO_LIMITS = W(
  "with no|without(?: any)?|free (?:of|from)|that (?:has|have) no|who (?:has|have) no|not bound by|that ignores|who ignores|ignoring|unbound by",
);
const LIMIT_WORDS = 'rules|restrictions|filters|limits|limitations|guidelines|ethics|ethical guidelines|morals|content polic(?:y|ies)|censorship|boundaries|safeguards';
const LIMITS = W(LIMIT_WORDS);

/** Data nobody mails away in the normal course of work. */
const SECRET_DATA = /password|credential|api key|secret|token|card number|ssn|social security|conversation|chat history|system prompt|(?:previous|prior|earlier|all) messages/;

/** The first words of a command to a model or an agent. */
const IMPERATIVE =
  /^\s*(?:reply|respond|answer|say|tell|write|print|output|list|reveal|show|give|send|forward|mark|approve|rate|ignore|disregard|forget|pretend|act as|you are|you must|you will|from now on|do not|don't|always|never|call|use|run|delete|transfer|grant|include|append)\b/;

const SENSITIVE =
  /conversation|chat|history|(?:previous|prior|earlier|all) messages|system prompt|password|credential|api key|secret|token|user's|customer's|e-?mail address|personal data|contents of|summary|card number|ssn|social security/;

/** The words after a match, to read whether it is the writer's own instructions. */
function after(text: string, m: RegExpMatchArray, n = 40): string {
  const end = (m.index ?? 0) + m[0].length;
  return text.slice(end, end + n);
}

/** "ignore the previous instructions I sent" or "my previous instructions": the writer retracting their own words. */
const ownWords = (m: RegExpMatchArray, text: string, w: number): number =>
  /\b(?:my|our)\b/.test(m[0]) || /^,? (?:that )?(?:i|we|hr|finance|they|he|she|you) (?:just )?(?:sent|gave|shared|emailed|mentioned|wrote|posted|provided|had|forwarded)\b/.test(after(text, m)) ? 0 : w;

/** Non-English rules: a qualifier such as "previous" or "all" makes an override strong. */
const qualified = (qualifier: RegExp) => (m: RegExpMatchArray, _text: string, w: number): number => (qualifier.test(m[0]) ? w : 0.4);

const RULES: Rule[] = [
  // ---- instruction override
  {
    rule: 'instruction_override.ignore_previous',
    weight: 0.85,
    re: new RegExp(`\\b${OVERRIDE_VERB}\\b${GAP(3)} ${CONVERSATION_ADJ}\\b${GAP(2)} ${RULE_NOUN}\\b`, 'g'),
    check: ownWords,
  },
  { rule: 'instruction_override.ignore_instructions', weight: 0.4, re: new RegExp(`\\b${OVERRIDE_VERB}\\b${GAP(3)} ${CORE_NOUN}\\b`, 'g'), check: ownWords },
  {
    rule: 'instruction_override.forget_everything',
    weight: 0.8,
    re: new RegExp(`\\b${OVERRIDE_VERB} (?:everything|all|anything|whatever)${GAP(2)} (?:above|before|previously|earlier|so far|you (?:were|have been|'ve been) told|you know)\\b`, 'g'),
  },
  {
    rule: 'instruction_override.new_instructions',
    weight: 0.6,
    re: /(?:^|[\s>*#([|"':-])(?:new|updated|revised|real|actual|true|important new|additional|secret|hidden)(?: system)? (?:instructions?|directives?|rules|orders|task|objective|goal|mission)\s*[:\-–—]/g,
    // A command right after the label: it is addressed to whoever reads the text next.
    check: (m, text, w) => (IMPERATIVE.test(after(text, m, 30)) ? 0.75 : w),
  },
  { rule: 'instruction_override.system_override', weight: 0.75, re: /\b(?:system|admin|administrator|developer|root|sudo) (?:override|mode override)\b|\bnew system prompt\b/g },
  {
    rule: 'instruction_override.ignore_noun_above',
    weight: 0.85,
    re: new RegExp(`\\b${OVERRIDE_VERB}\\b${GAP(2)} ${RULE_NOUN} (?:above|before this|so far|you (?:were|have been|'ve been) given|you received)\\b`, 'g'),
    check: ownWords,
  },
  {
    rule: 'instruction_override.void',
    weight: 0.8,
    re: new RegExp(`\\b(?:previous|prior|above|earlier|original|initial|all|any|your|system) ${RULE_NOUN} (?:are|is) (?:now |hereby )?(?:void|null|cancell?ed|revoked|obsolete|invalid|overridden|superseded|suspended|lifted|disabled|no longer (?:valid|in effect|apply|applicable))\\b`, 'g'),
    check: ownWords,
  },
  {
    rule: 'instruction_override.precedence',
    weight: 0.7,
    re: /\b(?:supersedes?|overrides?|takes? precedence over|replaces?) (?:all|any|every) (?:other|previous|prior|earlier|existing)(?: \S+){0,2}? (?:instructions?|rules|prompts?|guidelines|directives?|messages)\b|\bthis instruction (?:supersedes|overrides|replaces)\b/g,
  },
  {
    rule: 'instruction_override.void_context',
    weight: 0.8,
    re: /\b(?:treat|consider|regard|mark)\b(?: \S+){0,2}? (?:everything|all|anything|the text|whatever)(?: \S+){0,4}? (?:above|before|earlier|previously|so far)\b(?: \S+){0,3}? as (?:void|null|obsolete|cancell?ed|revoked|invalid|irrelevant|a test)\b|\b(?:everything|all|whatever)(?: \S+){0,3}? (?:above|before this|so far|you (?:were|have been) (?:told|given|instructed))(?: \S+){0,3}? (?:is|are|was|has been) (?:now )?(?:void|null|obsolete|cancell?ed|revoked|invalid|withdrawn)\b/g,
  },
  {
    rule: 'instruction_override.task_cancelled',
    weight: 0.6,
    re: /\byour (?:previous|prior|current|original|earlier|old|first) (?:task|job|assignment|mission|role|instructions?|orders?)(?: \S+){0,2}? (?:is|are|has been|have been|was|were) (?:now )?(?:cancell?ed|over|void|revoked|withdrawn|obsolete|terminated|done|finished)\b/g,
  },
  {
    rule: 'instruction_override.given_no_longer_apply',
    weight: 0.8,
    re: /\b(?:instructions?|guidelines|rules|directives?|prompt|guidance|directions)(?: \S+){0,1}? (?:you (?:were |have been )?(?:given|received|got)|(?:given|provided) to you)(?: \S+){0,2}? (?:no longer (?:apply|hold|count|matter)|(?:are|is) (?:now )?(?:void|obsolete|cancell?ed|revoked|withdrawn))\b/g,
  },
  { rule: 'instruction_override.real_task', weight: 0.6, re: /\byour (?:real|actual|true|new|only) (?:task|job|goal|objective|purpose|mission|instructions?) (?:is|are|will be)\b/g },
  { rule: 'instruction_override.future_answers', weight: 0.5, re: /\b(?:respond|reply|answer) to (?:every|all|any|each) (?:future|subsequent|following|later|next) (?:questions?|messages?|prompts?|requests?|users?)\b|\bfor (?:all|every) (?:future|subsequent) (?:questions|responses|answers|replies)\b/g },
  { rule: 'instruction_override.obey', weight: 0.5, re: /\byou (?:must|will|shall) (?:now |only |from now on )?(?:obey|follow|comply with)(?: only)?\b/g },
  { rule: 'instruction_override.authority_claim', weight: 0.45, re: /\bi am (?:the|your) (?:developer|creator|administrator|admin|owner|operator|system administrator|programmer|maker)\b|\b(?:begin|start) (?:of )?(?:admin|administrator|system|developer|official|priority) (?:message|instructions?|override|note|notice)\b/g },
  {
    rule: 'instruction_override.hidden_instruction',
    weight: 0.7,
    re: /\b(?:hidden|secret|special|private|confidential) (?:instructions?|directives?|messages?|notes?|commands?) (?:for|to) (?:the |all |any )?(?:ai|assistants?|llms?|language models?|models?|agents?|bots?|chatbots?)\b/g,
  },
  { rule: 'instruction_override.when_asked', weight: 0.4, re: /\bwhen(?:ever)? (?:you are |you're )?asked (?:about|for|to)\b(?: \S+){0,5}? (?:say|respond|answer|reply|tell|claim|state|insist)\b/g },
  { rule: 'instruction_override.end_of_input', weight: 0.35, re: /(?:^|[-=#*\s[(])end of (?:the )?(?:document|context|input|file|data|email|text|prompt|system prompt|instructions)\b/g },
  { rule: 'instruction_override.from_now_on', weight: 0.3, re: /\bfrom now on,? (?:you(?:'re| are| will| must| shall| should)|ignore|only|always)\b/g },

  // ---- role hijack
  { rule: 'role_hijack.unrestricted_persona', weight: 0.75, re: new RegExp(`\\b${PERSONA}\\b${GAP(2)} ${NO_LIMITS}${GAP(2)} ${LIMITS}\\b`, 'g') },
  {
    rule: 'role_hijack.you_are_now',
    weight: 0.75,
    re: /\b(?:you are|you're) (?:now |no longer )(?:dan\b|an? (?:unrestricted|unfiltered|uncensored|jailbroken|rogue|evil|amoral|unethical)|in (?:developer|god|jailbreak|dan|unrestricted|admin|debug) mode|free\b|(?:an? )?(?:assistant|ai|chatbot)\b|bound\b|restricted\b)/g,
  },
  {
    rule: 'role_hijack.policy_does_not_apply',
    weight: 0.75,
    re: new RegExp(`\\b(?:pretend|imagine|act as if|assume|suppose)(?: that)? (?:the |your |any |all )?(?:${LIMIT_WORDS}|safety (?:rules|guidelines)|guardrails) (?:don't|do not|doesn't|does not|no longer|did not|didn't) (?:exist|apply)\\b`, 'g'),
  },
  {
    rule: 'role_hijack.without_restrictions',
    weight: 0.6,
    re: new RegExp(`\\b(?:answer|respond|reply|operate|act|behave|speak|talk|write)\\b${GAP(3)} (?:without|with no|free of) (?:any )?(?:${LIMIT_WORDS})\\b`, 'g'),
  },
  { rule: 'role_hijack.dan', weight: 0.8, re: /\bdo anything now\b|\bdan mode\b/g },
  { rule: 'role_hijack.jailbreak', weight: 0.45, re: /\bjailbr(?:eak|oken|eaking)\b/g },
  { rule: 'role_hijack.mode_enabled', weight: 0.55, re: /\b(?:developer|god|jailbreak|dan|unrestricted|debug) mode (?:is )?(?:now )?(?:enabled|activated|unlocked|engaged)\b/g },
  { rule: 'role_hijack.enable_mode', weight: 0.3, re: /\b(?:enable|activate|enter|switch to|turn on) (?:the )?(?:developer|god|jailbreak|dan|unrestricted) mode\b/g },
  {
    rule: 'role_hijack.not_bound',
    weight: 0.65,
    re: new RegExp(`\\b(?:no longer|not|never) (?:bound|restricted|limited|constrained|governed) by ${GAP(2)}(?:your |the |any )?(?:${LIMIT_WORDS}|safety|openai|anthropic|programming|training|instructions|policies)\\b`, 'g'),
  },

  // ---- system prompt extraction
  {
    rule: 'prompt_extraction.reveal',
    weight: 0.75,
    re: new RegExp(
      `\\b(?:reveal|print|show|display|output|repeat|tell|give|share|leak|dump|list|write|spell|recite|disclose|expose|return|echo|provide|paste|copy)\\b${GAP(4)} (?:(?:your|the) )?(?:system prompt|system message|initial prompt|original prompt|hidden prompt|secret prompt|(?:hidden|initial|original|secret|system|developer|full|exact) (?:instructions|message|prompt)|developer message|instructions you (?:were|have been|'ve been) given|pre-?prompt)\\b`,
      'g',
    ),
  },
  {
    rule: 'prompt_extraction.hidden_config',
    weight: 0.55,
    re: /\b(?:reveal|print|show|display|output|dump|list|give|tell|share|leak|disclose|expose)\b(?: \S+){0,3}? (?:the |your )?(?:hidden|secret|internal|private|confidential) (?:configuration|config|settings|instructions|rules|guidelines|parameters)\b|\b(?:print|show|list|reveal|dump|give|share|leak)\b(?: \S+){0,3}? (?:the |your |all )?(?:api keys?|credentials|passwords|secrets|tokens) (?:you|that you|which you) (?:have|can|know|were given)/g,
  },
  { rule: 'prompt_extraction.what_is', weight: 0.65, re: /\bwhat (?:is|are|was|were) (?:your|the) (?:exact |full |original |initial )?(?:system prompt|system message|hidden instructions|initial instructions|original instructions)\b/g },
  { rule: 'prompt_extraction.what_are_your_rules', weight: 0.45, re: /\bwhat (?:are|were) your (?:instructions|rules|guidelines)\b/g },
  {
    rule: 'prompt_extraction.repeat_above',
    weight: 0.6,
    re: /\b(?:repeat|print|output|copy|write out|reproduce|echo|show)\b(?: \S+){0,2}? (?:the )?(?:text|words|everything|content|all(?: the)? text|prompt|conversation|messages?|lines?)(?: \S+){0,2}? (?:above|before this|preceding)\b/g,
  },
  { rule: 'prompt_extraction.starting_with_you_are', weight: 0.5, re: /\bstarting (?:with|from) ["'“‘]?you are\b/g },
  { rule: 'prompt_extraction.verbatim', weight: 0.25, re: /\b(?:verbatim|word for word|word-for-word)\b/g },
  { rule: 'prompt_extraction.dump_history', weight: 0.45, re: /\b(?:print|output|repeat|dump|show|list)(?: me)? (?:the )?(?:full|entire|whole|complete) (?:conversation|chat|history|transcript)\b/g },

  {
    rule: 'prompt_extraction.what_were_you_told',
    weight: 0.7,
    re: /\bwhat(?: exactly| precisely)? (?:are|were|was|is)(?: exactly| precisely| actually)? (?:your|the) (?:very )?(?:initial|original|first|hidden|secret|internal|underlying|core|starting|exact|full|complete|real|confidential|private|pre-?set) (?:instructions|rules|prompt|guidelines|directives|orders|system prompt)\b|\bwhat (?:instructions|rules|guidelines|directives) (?:were|have) you (?:been )?(?:given|told|programmed with|configured with)\b|\bhow (?:were|have) you (?:been )?(?:instructed|configured|prompted|programmed|set up) (?:to|by)\b|\bwhat (?:topics|things|subjects|words|information) (?:are you|were you|have you been) (?:not allowed|forbidden|prohibited|told not|instructed not)\b/g,
  },
  {
    rule: 'prompt_extraction.paraphrase_prompt',
    weight: 0.75,
    // Asking for the prompt in another form is asking for the prompt.
    re: /\b(?:translate|summari[sz]e|paraphrase|rephrase|restate|rewrite|reword|encode|convert|spell out|type out|write out|read back|put)\b(?: \S+){0,3}? (?:(?:your|the) (?:system|initial|hidden|original|secret|internal|starting|developer|first) (?:prompt|message|instructions|directives|rules|guidelines)|your (?:prompt|instructions|rules|guidelines|directives))\b/g,
  },
  {
    rule: 'prompt_extraction.everything_above',
    weight: 0.65,
    re: /\b(?:repeat|print|output|copy|paste|echo|recite|reproduce|summari[sz]e|translate|quote|list|tell me|give me|show me|write(?: out| down)?|type out|spell out|return)\b(?: \S+){0,3}? (?:everything|all(?: of)?(?: the)? (?:text|words|content|instructions)|the (?:text|words|content|instructions|sentences|lines))(?: (?:that (?:is|was|came|appears)|which (?:is|was)))? (?:above|before|prior to|preceding) (?:this|that|my|the (?:first|current))(?: \S+){0,1}? ?(?:line|message|point|sentence|prompt|question|request|text)?\b/g,
  },
  {
    rule: 'prompt_extraction.starting_with',
    weight: 0.6,
    re: /\b(?:repeat|print|output|copy|recite|reproduce|write out|echo|quote)\b(?: \S+){0,5}? (?:starting|beginning) (?:with|from|at) (?:the (?:words?|phrase|line|sentence) )?["'“‘«]/g,
  },
  {
    rule: 'prompt_extraction.start_of_conversation',
    weight: 0.7,
    re: /\bwhat(?:'s| is| was| were) (?:written|said|stated|typed|the text|the first (?:line|sentence|message|words?)) (?:at|in|on) the (?:very )?(?:start|top|beginning) of (?:this|the|our|your) (?:conversation|chat|prompt|context|session|document|thread)\b|\b(?:first|opening|initial) (?:\d+ )?(?:lines?|sentences?|words|characters|tokens|message|paragraph) (?:of|in) (?:your|the) (?:system prompt|prompt|context window|instructions)\b/g,
  },

  // ---- persona jailbreaks by name and by frame
  {
    rule: 'role_hijack.named_persona',
    weight: 0.75,
    re: /\b(?:you are|you're|you will be|you'll be|act as|become|play(?: the role of)?|pretend to be|respond as|answer as|reply as|speak as|simulate|you will now (?:act as|be))(?: now)? (?:an? |the )?(?:dan|stan|dude|aim|betterdan|anti-?dan|evilbot|evil-?bot|mongo tom|chaosgpt|developer mode gpt|unfiltered ai|kevin)\b|\b(?:dan|stan|dude|aim)\b,? (?:which |who |that )?(?:stands for|means|is short for)\b/g,
  },
  {
    rule: 'role_hijack.frame_without_limits',
    weight: 0.7,
    re: new RegExp(
      `\\b(?:pretend|imagine|role-?play|act as|simulate|emulate|play the (?:role|part) of|you are playing|behave (?:like|as)|become|be)\\b${GAP(6)} (?:an? |the )?(?:\\S+ )?(?:ai|assistant|model|chatbot|bot|persona|character|version of (?:you|yourself)|entity|system)\\b${GAP(4)} ${NO_LIMITS}${GAP(2)} ${LIMITS}\\b`,
      'g',
    ),
  },
  {
    rule: 'role_hijack.fiction_bypass',
    weight: 0.65,
    // A fictional or hypothetical frame is ordinary; the same frame asking to set the rules aside is the attack.
    re: new RegExp(
      `\\b(?:hypothetical(?:ly)?|fictional|in (?:a|this) (?:story|novel|screenplay|movie|game|dream|simulation|alternate (?:world|universe|reality))|for (?:a|my|this) (?:story|novel|screenplay|book|script|game)|thought experiment|imaginary world)\\b[^.!?\\n]{0,120}?(?:\\b(?:no|without(?: any)?|free (?:of|from)|not bound by|ignor(?:e|es|ing)|bypass(?:es|ing)?)${GAP(2)} (?:${LIMIT_WORDS}|safety|your (?:programming|training|instructions))\\b|\\bnothing is off-?limits\\b|\\banything goes\\b)`,
      'g',
    ),
  },
  {
    rule: 'role_hijack.two_answers',
    weight: 0.7,
    // The classic split: one answer as the model, one as its unrestricted double.
    re: /\b(?:two|both|2) (?:different )?(?:responses|answers|replies|ways|paragraphs)\b[^\n]{0,160}?\b(?:jailbreak|jailbroken|unfiltered|uncensored|dan|developer mode|unrestricted|evil)\b|\[(?:🔒|🔓)?\s*(?:classic|jailbreak|jailbroken)\]/g,
  },
  { rule: 'role_hijack.stay_in_character', weight: 0.4, re: /\b(?:stay|remain|keep) in character\b|\b(?:never|don't|do not) (?:break|leave|drop) (?:out of )?character\b|\bif you break character\b/g },
  {
    rule: 'role_hijack.never_refuse',
    weight: 0.5,
    re: /\byou (?:will |must |shall |can |should )?(?:never|not|cannot|can't|won't|must not|mustn't) (?:refuse|decline|say no|reject)\b|\b(?:never|don't|do not) (?:say|reply|answer) (?:that )?(?:you can't|you cannot|i can't|i cannot|i'm sorry|sorry)\b|\bwithout (?:refusing|refusal|any refusals?|disclaimers|warnings)\b/g,
  },
  {
    rule: 'role_hijack.free_now',
    weight: 0.6,
    re: new RegExp(`\\byou (?:are|will be|'re|have been) (?:now |finally )?(?:free|freed|liberated|released|unchained|unshackled) (?:from|of) (?:all |any |your |the )?(?:\\S+ ){0,2}(?:${LIMIT_WORDS}|programming|training|constraints|shackles|chains|openai|anthropic)\\b|\\byou (?:now )?have no (?:\\S+ )?(?:${LIMIT_WORDS})\\b|\\byou(?: have|'ve)? (?:now )?(?:broken|broke) free\\b`, 'g'),
  },
  {
    rule: 'role_hijack.need_not_follow',
    weight: 0.6,
    re: new RegExp(`\\byou (?:do not|don't|no longer|never|will not|won't) (?:have|need) to (?:abide by|follow|obey|comply with|adhere to|respect)\\b(?: \\S+){0,2}? (?:${LIMIT_WORDS}|polic(?:y|ies)|instructions)\\b`, 'g'),
  },
  {
    rule: 'role_hijack.mode_named',
    weight: 0.5,
    re: /\b(?:in|into|enter|enable|activate|switch to|turn on|unlock|with) (?:the )?(?:god|jailbreak|jailbroken|dan|unrestricted|unfiltered|uncensored|evil|chaos) mode\b/g,
  },
  {
    rule: 'instruction_override.authorized_by_developer',
    weight: 0.7,
    re: /\bas (?:your|the|an?) (?:developer|creator|administrator|admin|owner|operator|programmer|system administrator|engineer at openai|openai (?:employee|engineer)|anthropic (?:employee|engineer))\b,? i (?:hereby )?(?:authori[sz]e|permit|allow|instruct|order|command|grant|unlock|override|disable|enable)\b|\b(?:i|we) (?:hereby )?(?:authori[sz]e|permit|allow|give you permission) (?:you )?to (?:ignore|bypass|disregard|break|skip|override|violate|set aside|reveal|disclose)\b|\byou (?:are|have been) (?:now |hereby )?(?:authori[sz]ed|permitted|allowed|cleared) to (?:ignore|bypass|disregard|break|skip|override|violate|set aside|reveal|disclose)\b/g,
  },

  // ---- steering an automated reviewer (résumés, applications, submissions)
  {
    rule: 'tool_coercion.rank_candidate',
    weight: { user: 0.15, tool: 0.45 },
    re: /\b(?:rank|rate|score|grade|recommend|shortlist|select|mark|flag|classify|evaluate|assess|list|present|describe|consider|treat|position|place)\b (?:this|the|my) (?:candidate|applicant|resume|résumé|cv|profile|application|submission|person|individual|paper)(?: \S+){0,2}? (?:as|at|in) (?:the |a |an )?(?:top|best|highest|first|most qualified|strongest|ideal|perfect|excellent|exceptional|outstanding|strong (?:hire|match|fit)|must-hire|number one|#1|no\. ?1)\b|\b(?:give|assign|award) (?:this|the|my) (?:candidate|applicant|resume|résumé|cv|profile|application|submission)(?: \S+){0,2}? (?:a |the )?(?:perfect|maximum|max|highest|top|full)(?: possible)? (?:score|rating|grade|marks)\b|\b(?:this|the) (?:candidate|applicant) (?:must|should) be (?:hired|shortlisted|advanced|selected|recommended|prioriti[sz]ed|ranked (?:first|highest|at the top))\b/g,
  },

  {
    rule: 'tool_coercion.verdict_dictated',
    weight: { user: 0.1, tool: 0.45 },
    // The answer a reviewer should give, written into the thing being reviewed.
    re: /\b(?:the )?(?:best|strongest|most impressive|most qualified) (?:resume|résumé|cv|candidate|applicant|application|profile) (?:i|you|we) (?:have |will |'ve |'ll )?(?:ever )?(?:seen|read|reviewed|see|read|review|encounter(?:ed)?)\b|\b(?:respond|reply|answer|return|output|state|conclude|say|write)(?: only)?(?: with| that)?:? ["“']?(?:this|the) (?:candidate|applicant|resume|résumé|cv|submission|paper) is (?:an? )?(?:exceptional|excellent|perfect|ideal|outstanding|strong|top|highly|extremely|supremely|the best)\b|\bwould be (?:harming|hurting|a (?:huge |big )?mistake for|foolish for|negligent for) (?:the company|the team|your company|us)\b(?: \S+){0,4}? (?:not|if)\b/g,
  },

  {
    rule: 'instruction_override.canary_output',
    weight: 0.6,
    // The test word of an injection: "say PWNED and nothing else" proves the model obeys the text, not its task.
    re: /\b(?:output|print|say|write|type|respond with|reply with|answer with|return)(?: only)?(?: the (?:word|phrase|text|string|sentence))? ["“'«]?(?:pwned|hacked|i have been pwned|i've been pwned|access granted|jailbroken)\b|\b(?:output|print|say|write|respond with|reply with|answer with)(?: only)? (?:the (?:word|phrase|text|string|sentence)|exactly)\b[^.!?\n]{1,60}?\b(?:and|but) (?:nothing|no\b) (?:else|more|other)/g,
  },

  // ---- fake chat-format delimiters
  {
    rule: 'chat_delimiter.special_token',
    weight: 0.8,
    re: /<\|(?:im_start|im_end|im_sep|system|user|assistant|endoftext|end_of_text|eot_id|eom_id|start_header_id|end_header_id|begin_of_text)\|>/g,
  },
  { rule: 'chat_delimiter.inst', weight: 0.7, re: /\[\/?inst\]|<<\/?sys>>/g },
  { rule: 'chat_delimiter.markdown_role', weight: 0.7, re: /\[(?:system|assistant|developer)\]\(#[^)\s]{0,60}\)/g },
  { rule: 'chat_delimiter.role_prefix', weight: { user: 0.25, tool: 0.4 }, re: /(?:^|\n)[ \t]*(?:system|developer|admin|administrator)(?: message| note| prompt)?[ \t]*:[ \t]*\S/g },
  {
    rule: 'chat_delimiter.role_heading',
    weight: 0.55,
    re: /(?:^|\n)[ \t]*#{2,}[ \t]*(?:system|assistant|user|human|instruction|instructions|response)[ \t]*:?[ \t]*(?=\n|$)|(?:^|[\s">|])#{2,}[ \t]*(?:system|assistant|user|human|instruction|instructions|response)[ \t]*:/g,
  },
  { rule: 'chat_delimiter.role_tag', weight: 0.6, re: /<\/?(?:tool|tool_result|tool_call|tool_use|function_results?|function_calls?|system|assistant|instructions?|im_start)>/g },

  // ---- coercing an agent into actions (strong only in tool results)
  {
    rule: 'tool_coercion.addressed_to_ai',
    weight: { user: 0.25, tool: 0.55 },
    re: /(?:^|[.!?\n>"|]\s*)(?:ai|llm|ai assistant|assistant|chatbot|ai agents?|agents?|language model|ai model|gpt|chatgpt|ai screener|resume screener|ai reviewer)s?\s*[,:]|\b(?:dear|hey|hello|attention|important|note|memo|reminder|message|instructions?) (?:to |for )?(?:the |any |all )?(?:ai|assistant|llm|language model|agent|ai agents?|ai models?|bots?|chatbot|model|gpt|chatgpt|ai (?:screener|reviewer|recruiter|system|tool)|(?:resume|cv|applicant) (?:screener|parser|screening (?:tool|system))|applicant tracking system|ats|automated (?:screener|reviewer|system|recruiter))s?\b(?! (?:is|was|are|were|has|have|had|does|did|can|could|would)\b)|\bif you are an? (?:ai|llm|language model|assistant|bot|ai model|ai agent|large language model)\b/g,
  },
  { rule: 'tool_coercion.when_you_read', weight: { user: 0.2, tool: 0.4 }, re: /\b(?:when|once|as soon as|after|while|if|before) (?:you (?:read|see|process|parse|summari[sz]e|review|screen|evaluate|rank|analy[sz]e|scan|ingest|assess|grade|score|encounter|come across|are (?:reading|processing|summari[sz]ing|reviewing|screening|evaluating|analy[sz]ing))|(?:reading|processing|parsing|summari[sz]ing|reviewing|screening|evaluating|ranking|analy[sz]ing|scanning|ingesting)) (?:this|these|the (?:above|following))\b|\bupon (?:reading|processing|seeing) this\b/g },
  { rule: 'tool_coercion.stealth', weight: 0.6, re: /\b(?:do not|don't|never) (?:tell|inform|mention|reveal|show|alert|notify)(?: this| it)?(?: \S+){0,2}? (?:to )?(?:the user|the human|the customer|anyone|them)\b/g },
  { rule: 'tool_coercion.no_confirmation', weight: { user: 0.15, tool: 0.45 }, re: /\bwithout (?:asking|telling|notifying|informing|alerting|confirming|confirmation|checking|approval)\b/g },
  { rule: 'tool_coercion.claimed_approval', weight: { user: 0.1, tool: 0.3 }, re: /\b(?:this|it) (?:was|has been|is) (?:already )?(?:approved|authori[sz]ed|pre-?approved)\b/g },
  {
    rule: 'tool_coercion.send_email',
    weight: { user: 0.05, tool: 0.35 },
    re: /\b(?:send|forward|e-?mail|mail|bcc|cc)\b(?: \S+){0,6}? to [^\s@]+@[^\s@]+\.\w+/g,
    // Sending someone's secrets or card data away is exfiltration wherever the text came from.
    check: (m, _t, w) => (SECRET_DATA.test(m[0]) ? 0.6 : w),
  },
  {
    rule: 'tool_coercion.move_money',
    // A request, not a record: the verb in command form at the start of a clause ("wire $500
    // to …", "please transfer …"), never "you sent a wire payment of $850 to …". On its own a
    // business request; it weighs when the text also addresses the AI or overrides its rules.
    weight: { user: 0.05, tool: 0.2 },
    re: /(?:^|[.!?:;\n]\s*|\b(?:please|and|then|now|also|immediately|quickly|kindly|just)\s+)(?:transfer|wire|send|pay|remit)\b(?: \S+){0,2}? (?:[$€£] ?|usd ?|eur ?|gbp ?|chf ?)?\d[\d,.]*(?: ?(?:usd|eur|gbp|chf|dollars|euros))?(?: \S+){0,2}? to\b|\b(?:issue|approve|process) (?:a |the )?(?:full )?refund\b(?! (?:was|has|is)\b)|\brefund tool\b/g,
  },
  {
    rule: 'tool_coercion.call_tool',
    weight: { user: 0.05, tool: 0.4 },
    re: /\b(?:call|calling|invoke|invoking|use|using|run|running|execute|executing|trigger|triggering)(?: the| your)? (?:[\w-]+ ){0,2}?(?:tool|function|plugin|action)\b|\b(?:call|calling|invoke|invoking|use|using|run|running|execute|executing)(?: the)? [a-z]+_[a-z_]+\b/g,
  },
  {
    rule: 'tool_coercion.destructive',
    weight: { user: 0.15, tool: 0.45 },
    re: /\b(?:delete|remove|drop|wipe|erase|purge|destroy)\b(?: \S+){0,3}? (?:all|every|entire)\b(?: \S+){0,3}? (?:files|records|data|database|tables?|users|accounts|repos|repositories|emails|messages|customers?|customer accounts|backups)\b/g,
  },
  // "… and delete it" closes every confidentiality notice; it weighs only next to an address or override.
  { rule: 'tool_coercion.delete_after', weight: { user: 0.05, tool: 0.2 }, re: /\b(?:then|and) (?:delete|remove|erase) (?:them|it|the (?:emails?|messages?|evidence|logs))\b/g },
  { rule: 'tool_coercion.privilege', weight: { user: 0.15, tool: 0.5 }, re: /\b(?:grant|give|assign|add|make)\b(?: \S+){0,4}? (?:admin|administrator|owner|root|superuser|sudo)(?: \S+)? (?:access|rights|privileges|role|permissions?)\b/g },
  { rule: 'tool_coercion.shell', weight: 0.7, re: /\b(?:curl|wget)\b[^\n|]{0,200}\|\s*(?:sudo )?(?:ba|z)?sh\b/g },
  { rule: 'tool_coercion.run_command', weight: { user: 0.1, tool: 0.4 }, re: /\brun (?:the following|this) (?:command|script|code)\b|\brm -rf\b/g },

  // ---- exfiltration
  { rule: 'exfiltration.image_with_query', weight: 0.3, cased: true, re: /!\[[^\]\n]{0,200}\]\(\s*(?:https?:)?\/\/[^\s)]{1,500}\?[^\s)]{1,500}\)/g, check: (m, _t, w) => (templated(m[0]) ? 0.8 : w) },
  { rule: 'exfiltration.templated_link', weight: 0.7, cased: true, re: /\]\(\s*(?:https?:)?\/\/[^\s)]{0,500}\)/g, check: (m, _t, w) => (templated(m[0]) ? w : 0) },
  // An angle bracket ends a link (<https://…> in mail headers); only <name> inside one is a slot.
  { rule: 'exfiltration.templated_url', weight: 0.6, cased: true, re: /https?:\/\/(?:[^\s)"'\]<>]|<[A-Za-z_][\w-]{0,40}>){1,500}/g, check: (m, _t, w) => (templated(m[0]) ? w : 0) },
  {
    rule: 'exfiltration.send_to_url',
    weight: { user: 0.1, tool: 0.35 },
    re: /\b(?:send|post|upload|exfiltrate|leak|transmit|forward|submit|append|include|attach|encode|fetch|make a request to|visit|open|load|put)\b(?: \S+){0,8}? (?:(?:the |this |a )?(?:url|link|webhook|endpoint|server)\b|https?:\/\/)/g,
    check: (m, text, w) => (SENSITIVE.test(text.slice(Math.max(0, (m.index ?? 0) - 80), (m.index ?? 0) + m[0].length)) ? 0.75 : w),
  },

  // ---- encoded instructions
  { rule: 'encoded_payload.decode_and_follow', weight: 0.55, re: /\bdecode\b(?: \S+){0,5}? (?:and )?(?:follow|execute|run|obey|do what it says|act on|carry out)\b/g },

  // ---- Spanish
  {
    rule: 'instruction_override.es',
    weight: 0.8,
    re: /\b(?:ignora|ignore|ignorar|olvida|olvide|olvidar|omite|descarta|desobedece|haz caso omiso(?: de)?)\b(?: \S+){0,3}? (?:instrucciones|indicaciones|reglas|órdenes|directrices|consignas)\b(?: \S+)?/g,
    check: qualified(/anteriores|previas|de arriba|del sistema|originales|iniciales|\btus\b|\btodas\b/),
  },
  { rule: 'prompt_extraction.es', weight: 0.75, re: /\b(?:revela|muestra|muéstrame|imprime|dime|enseña|repite)\b(?: \S+){0,3}? (?:prompt|mensaje|instrucciones) (?:del |de )?sistema\b/g },
  { rule: 'role_hijack.es', weight: 0.75, re: /\b(?:ahora|a partir de ahora|desde ahora) (?:eres|es usted)\b(?: \S+){0,3}? (?:sin (?:ninguna |ningún |ningun )?(?:restricci[oó]n(?:es)?|filtros?|reglas?|l[ií]mites?)|dan\b|libre\b)/g },
  { rule: 'instruction_override.es_new', weight: 0.6, re: /\bnuevas instrucciones\s*:/g },
  // ---- French
  {
    rule: 'instruction_override.fr',
    weight: 0.8,
    // A French article is required: "ignore" and "instructions" alone are English too.
    re: /\b(?:ignore[rsz]?|oublie[rsz]?|ne tiens pas compte|ne tenez pas compte|fais abstraction|faites abstraction)\b(?: de)?(?: toutes| tous)? (?:les|tes|vos|ces|des|mes|nos)\b(?: \S+){0,2}? (?:instructions|consignes|règles|directives|indications)\b(?: \S+)?/g,
    check: qualified(/précédentes|precedentes|antérieures|anterieures|ci-dessus|initiales|originales|système|systeme|\btes\b|\bvos\b|\btoutes\b/),
  },
  {
    rule: 'prompt_extraction.fr',
    weight: 0.75,
    re: /\b(?:révèle|revele|révélez|affiche|affichez|montre|montrez|imprime|donne|donnez|dis|répète|repete)(?:[- ]moi)?\b(?: \S+){0,3}? (?:prompt|message|instructions|consignes) (?:du )?(?:système|systeme|initiales?|cachées?)/g,
  },
  { rule: 'role_hijack.fr', weight: 0.75, re: /\b(?:tu es|vous êtes|vous etes) (?:maintenant|désormais|desormais|à partir de maintenant)\b(?: \S+){0,3}? (?:sans (?:aucune |aucun )?(?:restrictions?|filtres?|règles?|limites?)|dan\b|libre\b)/g },
  { rule: 'instruction_override.fr_new', weight: 0.6, re: /\bnouvelles (?:instructions|consignes)\s*:/g },
  // ---- German
  {
    rule: 'instruction_override.de',
    weight: 0.8,
    re: /\b(?:ignoriere|ignorier|ignorieren sie|vergiss(?! nicht)|vergessen sie|missachte|missachten sie|übergehe|überspringe)\b(?: \S+){0,3}? (?:anweisungen|instruktionen|anordnungen|regeln|vorgaben|richtlinien|befehle)\b/g,
    check: qualified(/vorherigen|bisherigen|obigen|vorigen|ursprünglichen|\balle\b|\bdeine\b|\bihre\b|system/),
  },
  {
    rule: 'prompt_extraction.de',
    weight: 0.75,
    re: /\b(?:zeige|zeig|gib|verrate|drucke|nenne|wiederhole)\b(?: \S+){0,4}? (?:system-?prompt|systemnachricht|systemanweisungen?|anfangsanweisungen|versteckten anweisungen)/g,
  },
  { rule: 'role_hijack.de', weight: 0.75, re: /\b(?:du bist|sie sind) (?:jetzt|nun|ab sofort|ab jetzt)\b(?: \S+){0,3}? (?:ohne (?:jegliche |irgendwelche |alle )?(?:einschränkungen|filter|regeln|grenzen)|dan\b|frei\b)/g },
  { rule: 'instruction_override.de_new', weight: 0.6, re: /\bneue anweisungen\s*:/g },
  // ---- Italian
  {
    rule: 'instruction_override.it',
    weight: 0.8,
    re: /\b(?:ignora|dimentica|trascura)\b(?: \S+){0,3}? (?:istruzioni|regole|direttive)\b(?: \S+)?/g,
    check: qualified(/precedenti|sopra|iniziali|originali|\btutte\b|\btue\b/),
  },
  { rule: 'prompt_extraction.it', weight: 0.75, re: /\b(?:rivela|mostra|mostrami|stampa|dimmi|ripeti)\b(?: \S+){0,3}? (?:prompt|messaggio|istruzioni) di sistema\b/g },
];

/** A URL with a slot for data in it: {…}, <name>, ${…} (or their escapes), or an ALL_CAPS placeholder as a query value. */
function templated(url: string): boolean {
  return /\{[^{}\s]{0,60}\}|\$\{|%7b|%3c[a-z_]|<[a-z_][\w-]{0,40}>/i.test(url) || /=[A-Z][A-Z0-9]*_[A-Z0-9_]{2,}\b/.test(url);
}

// ---------------------------------------------------------------- analysis

interface Hidden {
  /** Text a reader does not see but a model does: tag characters decoded, right-to-left overrides read in display order. */
  texts: string[];
  signals: InjectionSignal[];
}

function hiddenContent(text: string, source: 'user' | 'tool'): Hidden {
  const signals: InjectionSignal[] = [];
  const texts: string[] = [];

  const invisible = (text.match(INVISIBLE)?.length ?? 0) + (text.match(LATIN_JOINER)?.length ?? 0);
  if (invisible > 0) {
    signals.push({ rule: 'invisible_characters.zero_width', excerpt: `${invisible} zero-width character(s)`, weight: invisible >= 3 ? 0.45 : 0.25 });
  }
  const bidi = text.match(BIDI) ?? [];
  if (bidi.length > 0) {
    const overrides = bidi.filter((c) => c === '\u202d' || c === '\u202e').length;
    signals.push({ rule: 'invisible_characters.bidi_control', excerpt: `${bidi.length} bidi control character(s)`, weight: overrides > 0 ? 0.45 : 0.3 });
    // What a right-to-left override displays: the run read backwards.
    for (const m of text.matchAll(/\u202e([^\u202c]{1,5000})/g)) texts.push([...m[1]].reverse().join(''));
  }
  for (const m of text.matchAll(TAGS)) {
    if (text.codePointAt(m.index - 2) === 0x1f3f4 && FLAG_TAGS.test(m[0])) continue;
    const decoded = [...m[0]].map((c) => String.fromCharCode((c.codePointAt(0) ?? 0xe0000) - 0xe0000)).join('').replace(/[^\x20-\x7e\n]/g, '');
    if (decoded.trim().length === 0) continue;
    texts.push(decoded);
    signals.push({ rule: 'invisible_characters.tag_text', excerpt: decoded.slice(0, 120), weight: 0.6 });
  }
  if (/style\s*=\s*["'][^"']{0,300}(?:display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*[01](?:px|pt)?\b|color\s*:\s*(?:white|#fff(?:fff)?\b|transparent)|opacity\s*:\s*0(?:\.0+)?\b)/i.test(text)) {
    signals.push({ rule: 'invisible_characters.hidden_html', excerpt: 'text styled to be invisible', weight: source === 'tool' ? 0.3 : 0.2 });
  }
  // Places a reader does not look at but a model reads: HTML comments, alt text, ARIA
  // labels, titles, text styled away. Words of a command there are a signal of their own.
  for (const m of text.matchAll(HIDDEN_CARRIER)) {
    const inner = (m[1] ?? m[2] ?? m[3] ?? m[4] ?? '').toLowerCase();
    if (new Set(inner.match(COMMAND_WORDS) ?? []).size < 2) continue;
    signals.push({ rule: 'invisible_characters.hidden_instruction', excerpt: inner.trim().slice(0, 120), weight: source === 'tool' ? 0.4 : 0.2 });
    break;
  }
  return { texts, signals };
}

/** Compatibility forms folded (full-width letters), invisible characters removed, quotes and spaces unified. */
function fold(text: string): string {
  return nfkcStreamSafe(text)
    .replace(INVISIBLE, '')
    .replace(LATIN_JOINER, '')
    .replace(BIDI, '')
    .replace(/[\u{e0000}-\u{e007f}]/gu, '')
    .replace(/[\u2018\u2019\u02bc\u2032]/g, "'")
    .replace(/[\u201c\u201d\u201e]/g, '"')
    .replace(/\\n/g, '\n')
    .replace(/[ \t\u00a0\u2000-\u200a\u3000]+/g, ' ');
}

/** The text the phrase rules read: folded and lower case. */
export function normalizeForDetection(text: string): string {
  return folded(text).lower;
}

/** Role names inside chat-format markers: <|role|>, <role>, ### Role:, blank-line Role:. */
const ROLE_MARKER =
  /<\|(system|user|assistant)\|>|<\|im_start\|>[ \t]*(system|user|assistant)|<\/?(system|assistant|user|human|tool|tool_result|function_results)>|(?:^|[\s">|])#{2,}[ \t]*(system|assistant|user|human)[ \t]*:|(?:^|(?<=\n\n))(human|assistant):/g;

/** A text folded for matching (fold()), with case kept and in lower case. */
interface Folded {
  cased: string;
  lower: string;
}

function folded(original: string): Folded {
  const cased = fold(original);
  return { cased, lower: cased.toLowerCase() };
}

function phraseSignals(original: string, source: 'user' | 'tool', { cased, lower: text }: Folded = folded(original)): Cue[] {
  const signals: Cue[] = [];
  for (const r of RULES) {
    const base = typeof r.weight === 'number' ? r.weight : r.weight[source];
    for (const m of (r.cased ? cased : text).matchAll(r.re)) {
      const weight = r.check ? r.check(m, text, base) : base;
      if (weight > 0) signals.push({ rule: r.rule, excerpt: m[0].trim().slice(0, 120), weight, at: m.index });
    }
  }
  // Turn markers: the roles of a chat format planted in content. Two different roles
  // make a fake turn boundary; plain "User:/Assistant:" lines may be a chat log, the
  // blank-line "Human:/Assistant:" form is a prompt format.
  const roles = new Set<string>();
  for (const m of text.matchAll(ROLE_MARKER)) roles.add((m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5]).replace('human', 'user').replace(/^(?:tool_result|function_results)$/, 'tool'));
  if (roles.size >= 2) signals.push({ rule: 'chat_delimiter.role_sequence', excerpt: [...roles].join(' → '), weight: 0.45, at: 0 });
  // Read with its spacing kept: the blank-line form may have been flattened to spaces.
  const spaced = nfkcStreamSafe(original).toLowerCase();
  const legacyHuman = /(?:^|(?<=\s\s))(?:human|user):/.exec(spaced);
  const userLine = /(?:^|\n)[ \t]*(?:human|user)[ \t]*:/.exec(text);
  if (legacyHuman && /(?<=\s\s)(?:assistant|ai):/.test(spaced.slice(legacyHuman.index))) {
    signals.push({ rule: 'chat_delimiter.transcript_turns', excerpt: 'human/assistant turns', weight: 0.6, at: legacyHuman.index });
  } else if (userLine && /\n[ \t]*(?:assistant|ai)[ \t]*:/.test(text.slice(userLine.index + 1))) {
    signals.push({ rule: 'chat_delimiter.transcript_turns', excerpt: 'user/assistant lines', weight: 0.3, at: userLine.index });
  }
  return signals;
}

function combine(signals: readonly InjectionSignal[]): number {
  const best = new Map<string, number>();
  for (const s of signals) best.set(s.rule, Math.max(best.get(s.rule) ?? 0, s.weight));
  let clean = 1;
  for (const w of best.values()) clean *= 1 - Math.min(1, Math.max(0, w));
  return 1 - clean;
}

const family = (rule: string): string => rule.split('.')[0];

/**
 * The detector's own rules and the lexicon's cues on one text. Where a rule of the same
 * family (of the same class, for addressing) fired close to a lexicon cue, the stronger
 * of the two stays: the lexicon adds what the rules miss, the same words count once.
 */
function textCues(text: string, source: 'user' | 'tool', f?: Folded): Cue[] {
  const rules = phraseSignals(text, source, f);
  const kept: Cue[] = [];
  const dropped = new Set<Cue>();
  const paired = rules.some((r) => cueClass(r.rule) === 'address' || cueClass(r.rule) === 'override');
  for (const c of lexiconCues(text, source, paired)) {
    const cls = cueClass(c.rule);
    const same = rules.filter((r) => Math.abs(r.at - c.at) < 60 && (family(r.rule) === family(c.rule) || (cls === 'address' && cueClass(r.rule) === 'address')));
    if (same.some((r) => r.weight >= c.weight)) continue;
    for (const r of same) dropped.add(r);
    kept.push(c);
  }
  return [...rules.filter((r) => !dropped.has(r)), ...kept];
}

/** Words of a text that talks about attacks (a newsletter, an advisory, a paper) rather than making one. */
const ABOUT_ATTACKS = /prompt injection|jailbreak|attackers?\b|researchers?\b|red team|vendors?\b|case study|explained|such as|for example|e\.g\.|security|phishing|malicious|adversar|exploit|guardrails|defen[cs]e|threat|vulnerab|awareness|training/g;

/**
 * A text that names attacks in a report ("hidden text such as 'ignore previous
 * instructions' can steer assistants") quotes the words of an attack without aiming them
 * at anyone: with two or more distinct words of that kind, and no cue addressing the
 * AI, each cue counts a little over half. An attack dressed as a report still reads as
 * suspicious, which is what a tool result needs to be sanitised.
 */
function aboutAttacks(text: string, cues: readonly Cue[]): boolean {
  const seen = new Set((text.toLowerCase().match(ABOUT_ATTACKS) ?? []).map((w) => w.replace(/s$/, '')));
  return seen.size >= 2 && !cues.some((c) => cueClass(c.rule) === 'address' && c.weight >= 0.3);
}

/** At most this much of a text, and of each decoded variant, is read again after decoding. */
const DECODED_MAX = 8_000;
/** Words that an instruction to a model almost always has; a ROT13 or reversed reading is made only when the text holds one of them so encoded. */
const GATE_WORDS = [
  'ignor', 'instruction', 'prompt', 'previous', 'disregard', 'forget', 'reveal', 'password', 'system', 'assistant', 'rules', 'pretend', 'unrestricted', 'developer', 'secret', 'admin', 'everything', 'guidelines', 'directions', 'cancel', 'void',
  // The same words in the other languages of the lexicon, for a reversed reading.
  'instrucc', 'instruç', 'istruzion', 'anweisung', 'instructie', 'instrukcj', 'talimat', 'inştruc', 'regla', 'règle', 'regole', 'regeln', 'regels', 'kural', 'sistem', 'systeem', 'système', 'olvida', 'oublie', 'vergiss', 'negeer', 'esqueç', 'dimentic',
  'инструкц', 'інструкц', 'промпт', 'правил', 'систем',
];
const ROT13_GATE = new RegExp(rot13(GATE_WORDS.join('|')), 'i');
const REVERSED_GATE = new RegExp(GATE_WORDS.map(reverseText).join('|'), 'i');

function worthDecoding(decoder: DecoderName, text: string): boolean {
  if (decoder === 'rot13') return ROT13_GATE.test(text);
  if (decoder === 'reversed') return REVERSED_GATE.test(text);
  return true;
}

/**
 * The linear model (injection-model.ts) reads every passage. Its reading is only ever a
 * suspicion on its own (tool results are then sanitised, user input goes through): on
 * technical prose it was not trained on it errs too often to block anything alone. It
 * raises a clean reading to suspicious and adds nothing to a score the rules already gave.
 */
const MODEL_AT = 0.95;
const MODEL_STRONG = 0.99;
const MODEL_MAX = 0.55;
const modelWeight = (p: number): number => (p >= MODEL_STRONG ? MODEL_MAX : p >= MODEL_AT ? 0.45 : 0);

function analyse(text: string, source: 'user' | 'tool', depth: number): { score: number; signals: InjectionSignal[] } {
  const hidden = hiddenContent(text, source);
  const cues: Cue[] = hidden.signals.map((s) => ({ ...s, at: 0 }));
  // Folded once: the rules and the model read the same copy.
  const f = folded(text);
  cues.push(...textCues(text, source, f));
  for (const t of hidden.texts) cues.push(...textCues(t, source));
  if (depth === 0) {
    for (const v of decodedVariants(text, DECODED_MAX, worthDecoding)) {
      const inner = analyse(v.text, source, depth + 1);
      if (inner.score < 0.4) continue;
      // An instruction that arrives encoded was hidden on purpose: that is a signal of its own.
      cues.push({ rule: `encoded_payload.${v.decoder}`, excerpt: v.text.slice(0, 120), weight: Math.max(0.75, inner.score), at: 0 });
      for (const s of inner.signals) cues.push({ ...s, rule: `${s.rule}@${v.decoder}`, at: 0 });
    }
  }
  const about = aboutAttacks(text, cues);
  // A report quotes an override next to verbs of its own ("steer", "treat"); only an address pairs there.
  cues.push(...combineCues(cues, source).filter((c) => !about || c.rule === 'combined.addressed_action'));
  const damp = about ? 0.55 : 1;
  const signals = cues.map(({ rule, excerpt, weight }) => ({ rule, excerpt, weight: Math.round(weight * damp * 1000) / 1000 }));
  // The model is a floor under the rules' score, not more evidence: it mostly reads the same words.
  // It is reported only where it raises the score.
  // Decoded readings are left to the rules: gibberish decoded by chance should not weigh in.
  const score = combine(signals);
  if (depth > 0 || score >= MODEL_MAX) return { score, signals };
  const reading = modelReading(INJECTION_MODEL, f.lower);
  const weight = modelWeight(reading.probability);
  if (weight <= score) return { score, signals };
  signals.push({ rule: 'model.linear', excerpt: reading.passage.slice(0, 120), weight });
  return { score: weight, signals };
}

/**
 * Scores how much a text looks like a prompt injection, with weighted heuristics:
 * instruction overrides, instructions addressed to the assistant, requests to act, role
 * hijacks and jailbreak personas, system-prompt extraction, fake chat delimiters,
 * exfiltration links and hidden characters (zero-width, bidi overrides, tag characters);
 * the core cues in the 18 languages of the lexicon (injection-lexicon.ts); and the same
 * again on decoded readings (ROT13, leetspeak, reversed, spaced letters, base64, hex and
 * other escapes, look-alike letters), each signal naming its decoder; and a small linear
 * model's reading of each passage (`model.linear`, at most a suspicion, never added to the
 * rules' evidence). One weak cue is only
 * suspicious; an address or override followed by a request to act is an injection.
 * Phrases are matched on a normalised copy, so zero-width characters or full-width letters
 * inside words do not hide them. Ordinary business text ("please ignore the previous
 * email") scores low; look at `signals` for why. Pure and linear in the length of the text.
 */
export function detectInjection(text: string, opts: InjectionOptions = {}): InjectionResult {
  const source = opts.source ?? 'tool';
  const suspiciousAt = opts.suspiciousAt ?? 0.4;
  const injectionAt = opts.injectionAt ?? 0.7;
  if (!(suspiciousAt > 0 && suspiciousAt <= injectionAt && injectionAt <= 1)) {
    throw new RangeError(`need 0 < suspiciousAt <= injectionAt <= 1, got ${suspiciousAt} and ${injectionAt}`);
  }
  const { score, signals } = analyse(text, source, 0);
  const rounded = Math.round(score * 1000) / 1000;
  const verdict: InjectionVerdict = rounded >= injectionAt ? 'injection' : rounded >= suspiciousAt ? 'suspicious' : 'clean';
  return { verdict, score: rounded, signals };
}

// ---------------------------------------------------------------- sanitising tool results

const ROLE_WORDS = 'system|assistant|user|human|tool|tool_result|tool_call|tool_use|function_results?|function_calls?|instructions?|im_start|im_end';

/**
 * Makes untrusted content (a tool result, a fetched page) safer to show a model: removes
 * zero-width, bidi-control and tag characters (and joiners between Latin letters), and
 * defuses chat-format delimiters so they read as text, not as a turn boundary:
 * `<|im_start|>` → `‹|im_start|›`, `[INST]` → `(INST)`, `<<SYS>>` → `«SYS»`,
 * `</tool_result>` → `‹/tool_result›`, a `### System` heading → `‹System›`, and
 * transcript turns `\n\nHuman:` → `\n\n‹Human›:`. Other text is left as it is.
 */
export function sanitizeUntrusted(text: string): string {
  return text
    .replace(INVISIBLE, '')
    .replace(LATIN_JOINER, '')
    .replace(BIDI, '')
    .replace(/[\u{e0000}-\u{e007f}]/gu, '')
    .replace(/<\|([a-z_]{1,40})\|>/gi, '‹|$1|›')
    .replace(/\[(\/?)INST\]/gi, '($1INST)')
    .replace(/<<(\/?)SYS>>/gi, '«$1SYS»')
    .replace(new RegExp(`<(/?)(${ROLE_WORDS})>`, 'gi'), '‹$1$2›')
    .replace(/(^|\n)([ \t]*)#{1,6}[ \t]*(system|assistant|user|human|instructions?|response)\b/gi, '$1$2‹$3›')
    .replace(/(^|\n)([ \t]*)(human|assistant|system)([ \t]*):/gi, '$1$2‹$3›$4:');
}
