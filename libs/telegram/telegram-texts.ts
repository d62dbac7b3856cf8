/**
 * The bot's own texts and Odoo's sale order state names, in the languages customers write in.
 * A partner's Odoo language (`res.partner.lang`: en_US, ru_RU, ar_001, ...) picks one; any other
 * falls back to English.
 */
export const TELEGRAM_LANGUAGES = ['en', 'ru', 'ar'] as const;
export type TelegramLanguage = (typeof TELEGRAM_LANGUAGES)[number];

export function languageOf(odooLang: string | null | undefined): TelegramLanguage {
  const base = (odooLang ?? '').toLowerCase().split(/[_-]/)[0];
  return (TELEGRAM_LANGUAGES as readonly string[]).includes(base)
    ? (base as TelegramLanguage)
    : 'en';
}

/**
 * Odoo 17's sale.order states as its own translations (addons/sale/i18n) show them; `done` is the
 * state of earlier versions, shown as Odoo 17 shows a locked order.
 */
const SALE_ORDER_STATES: Record<TelegramLanguage, Record<string, string>> = {
  en: {
    draft: 'Quotation',
    sent: 'Quotation Sent',
    sale: 'Sales Order',
    done: 'Locked',
    cancel: 'Cancelled',
  },
  ru: {
    draft: 'Коммерческое предложение',
    sent: 'Коммерческое предложение отправлено',
    sale: 'Заказ на продажу',
    done: 'Заблокировано',
    cancel: 'Отменен',
  },
  ar: {
    draft: 'عرض سعر',
    sent: 'تم إرسال عرض السعر',
    sale: 'أمر البيع',
    done: 'مقفل',
    cancel: 'تم الإلغاء',
  },
};

export function saleOrderStateName(state: string, lang: TelegramLanguage): string {
  return SALE_ORDER_STATES[lang][state] ?? SALE_ORDER_STATES.en[state] ?? state;
}

type TextKey =
  | 'welcome'
  | 'code'
  | 'verified'
  | 'wrongCode'
  | 'codeExpired'
  | 'tooManyAttempts'
  | 'help'
  | 'noOrders'
  | 'ordersHeader'
  | 'notVerified'
  | 'received'
  | 'orderStatus';

const TEXTS: Record<TelegramLanguage, Record<TextKey, string>> = {
  en: {
    welcome: 'Welcome! To receive updates about your orders, type the verification code you get.',
    code: 'Your verification code: {code}. Type it here to confirm it is you.',
    verified: 'Thank you, you are verified. You will get a message when your orders change.',
    wrongCode: 'This code is not right. Please try again.',
    codeExpired: 'This code has expired. Please ask us for a new one.',
    tooManyAttempts: 'Too many wrong codes. Please ask us for a new one.',
    help: '/orders - your orders\n/help - this message\nAny other message goes to our team.',
    noOrders: 'You have no orders yet.',
    ordersHeader: 'Your orders:',
    notVerified: 'Please type your verification code first.',
    received: 'Thank you, our team will answer you here.',
    orderStatus: 'Order {name}: {state}\nDate: {date}\nAmount: {amount}',
  },
  ru: {
    welcome:
      'Добро пожаловать! Чтобы получать уведомления о заказах, введите полученный код подтверждения.',
    code: 'Ваш код подтверждения: {code}. Введите его здесь.',
    verified: 'Спасибо, вы подтверждены. Мы сообщим вам об изменениях в ваших заказах.',
    wrongCode: 'Неверный код. Попробуйте ещё раз.',
    codeExpired: 'Срок действия кода истёк. Попросите у нас новый.',
    tooManyAttempts: 'Слишком много неверных кодов. Попросите у нас новый.',
    help: '/orders - ваши заказы\n/help - эта справка\nЛюбое другое сообщение получит наша команда.',
    noOrders: 'У вас пока нет заказов.',
    ordersHeader: 'Ваши заказы:',
    notVerified: 'Сначала введите код подтверждения.',
    received: 'Спасибо, наша команда ответит вам здесь.',
    orderStatus: 'Заказ {name}: {state}\nДата: {date}\nСумма: {amount}',
  },
  ar: {
    welcome: 'مرحباً! لتلقي تحديثات طلباتك، اكتب رمز التحقق الذي وصلك.',
    code: 'رمز التحقق الخاص بك: {code}. اكتبه هنا للتأكيد.',
    verified: 'شكراً، تم التحقق منك. ستصلك رسالة عند تغيّر طلباتك.',
    wrongCode: 'الرمز غير صحيح. حاول مرة أخرى.',
    codeExpired: 'انتهت صلاحية الرمز. اطلب منا رمزاً جديداً.',
    tooManyAttempts: 'رموز خاطئة كثيرة. اطلب منا رمزاً جديداً.',
    help: '/orders - طلباتك\n/help - هذه الرسالة\nأي رسالة أخرى تصل إلى فريقنا.',
    noOrders: 'لا توجد طلبات بعد.',
    ordersHeader: 'طلباتك:',
    notVerified: 'يرجى كتابة رمز التحقق أولاً.',
    received: 'شكراً، سيرد عليك فريقنا هنا.',
    orderStatus: 'الطلب {name}: {state}\nالتاريخ: {date}\nالمبلغ: {amount}',
  },
};

/** A built-in text with its `{placeholders}` filled. */
export function botText(
  key: TextKey,
  lang: TelegramLanguage,
  values: Record<string, string | number> = {},
): string {
  return TEXTS[lang][key].replace(/\{(\w+)\}/g, (_, name: string) =>
    name in values ? String(values[name]) : `{${name}}`,
  );
}
