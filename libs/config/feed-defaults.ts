export type FeedPriority = 'high' | 'medium' | 'low';
export const FEED_PRIORITIES: readonly FeedPriority[] = ['high', 'medium', 'low'];

/** Priorities of the Odoo add-on the feed replaces; a model not listed is `medium`. */
export const DEFAULT_MODEL_PRIORITIES: Record<string, FeedPriority> = {
  'sale.order': 'high',
  'purchase.order': 'high',
  'account.move': 'high',
  'account.payment': 'high',
  'crm.lead': 'high',
  'res.partner': 'medium',
  'stock.picking': 'medium',
  'stock.move': 'medium',
  'hr.expense': 'medium',
  'hr.employee': 'medium',
  'product.template': 'low',
  'product.category': 'low',
  'account.journal': 'low',
};

/** What the add-on's configurations send for every model (its other values: system, notification, custom). */
export const ADDON_CATEGORY = 'business';

/**
 * `FEED_CATEGORIES=by-area`: categories by business area, for clients that group by them; a model
 * not listed takes its first name part (`mrp`).
 */
export const AREA_CATEGORIES: Record<string, string> = {
  'sale.order': 'sales',
  'sale.order.line': 'sales',
  'purchase.order': 'purchase',
  'account.move': 'accounting',
  'account.payment': 'accounting',
  'account.journal': 'accounting',
  'crm.lead': 'crm',
  'res.partner': 'contacts',
  'stock.picking': 'inventory',
  'stock.move': 'inventory',
  'stock.move.line': 'inventory',
  'stock.quant': 'inventory',
  'stock.location': 'inventory',
  'hr.expense': 'hr',
  'hr.employee': 'hr',
  'product.template': 'products',
  'product.product': 'products',
  'product.category': 'products',
  'project.project': 'project',
};

/** A model's category: its own setting, else `business` as the add-on, or its area with `by-area`. */
export function categoryOf(
  feed: { categories: Record<string, string>; categoriesByArea: boolean },
  model: string,
): string {
  return feed.categories[model] ?? (feed.categoriesByArea ? model.split('.')[0] : ADDON_CATEGORY);
}

/** The models each kind of mobile app syncs (smart sync). */
export const DEFAULT_APP_TYPE_MODELS: Record<string, string[]> = {
  sales_app: [
    'sale.order',
    'sale.order.line',
    'res.partner',
    'product.template',
    'product.product',
    'product.category',
  ],
  delivery_app: ['stock.picking', 'stock.move', 'stock.move.line', 'res.partner'],
  warehouse_app: [
    'stock.picking',
    'stock.move',
    'stock.move.line',
    'stock.quant',
    'product.product',
    'stock.location',
  ],
  manager_app: [
    'sale.order',
    'purchase.order',
    'account.move',
    'res.partner',
    'hr.expense',
    'project.project',
  ],
  mobile_app: ['sale.order', 'res.partner', 'product.template', 'product.product'],
};
