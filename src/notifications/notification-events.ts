// Failure notifications queued by the delivery engine inside its completion transaction.
import type { AppContext } from '../context.js';
import { noDeliveryEvents, type DeliveryEvents } from '../delivery/delivery-events.js';

export function notificationEvents(_ctx: AppContext): DeliveryEvents {
  return noDeliveryEvents;
}
