export { Role, ALL_ROLES } from './roles';
export { ApiKeyEntry, ApiKeysFile, KeyId, checkUnique, parseApiKeysFile } from './key-entry';
export { apiKeyDigest, hashApiKey } from './key-hash';
export { ApiKeyTable, callerName, type Caller } from './key-table';
export { KEY_BYTES, KEY_PREFIX, formatKeyEntry, mintApiKey, newApiKey, type KeyEntryRequest } from './mint';
