// API collection paths the screens read and invalidate (one module, so screens need not import each other for them).
export const AUTOMATIONS = '/api/v1/automations';
