/** Injection token of the service's StateStore (Redis). */
export const STATE_STORE = 'BATON_STATE_STORE';
/** Injection token of the service's MessageBus (Kafka). */
export const BUS = 'BATON_BUS';
/** Injection token of the service's identity ({ name }). */
export const SERVICE_INFO = 'BATON_SERVICE_INFO';
