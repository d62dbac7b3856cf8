import { conversationStep, NEW_USER, TelegramUserState } from './conversation';
import { verificationCode } from './verification-code';

const SECRET = 'code-secret';
const at = Date.UTC(2026, 11, 2, 12);
const say = (user: TelegramUserState | null, text: string, key = 'u1', when = at) =>
  conversationStep(user, { text, languageCode: 'en', issueKey: key, at: when }, SECRET);

describe('conversationStep', () => {
  it('creates a user on /start with a code the sender can derive, and keeps only its hash', () => {
    const step = say(null, '/start');
    expect(step.user).toMatchObject({ verified: false, codeAttempts: 0 });
    expect(step.replies.map((r) => r.kind)).toEqual(['system', 'code']);
    expect(step.replies[1]).toMatchObject({
      text: expect.stringContaining('{code}'),
      codeKey: 'u1',
    });
    expect(JSON.stringify(step)).not.toContain(verificationCode(SECRET, 'u1'));
  });

  it('keeps nothing of a chat that writes without /start, and tells it how to begin', () => {
    const step = say(null, 'hello');
    expect(step).toMatchObject({ user: null, keep: false });
    expect(step.replies[0].text).toMatch(/\/orders/);
  });

  it('verifies the right code, counts wrong ones, and refuses after five or after an hour', () => {
    const started = say(null, '/start').user!;
    const code = verificationCode(SECRET, 'u1');
    const wrong = code === '000000' ? '111111' : '000000';
    let user = started;
    for (let i = 1; i <= 4; i++) {
      const step = say(user, wrong);
      expect(step.replies[0].text).toMatch(/not right/);
      user = step.user!;
    }
    expect(say(user, wrong).replies[0].text).toMatch(/Too many/);
    expect(say({ ...user, codeAttempts: 5 }, code).user?.verified).toBe(false);
    expect(say(started, code, 'x', at + 61 * 60_000).replies[0].text).toMatch(/expired/);
    const verified = say(started, code.slice(0, 3) + ' ' + code.slice(3));
    expect(verified.user).toMatchObject({ verified: true, codeHash: null });
  });

  it('answers /orders only for a verified customer with a partner, and passes other text to operators', () => {
    const verified = { ...NEW_USER, verified: true, partnerId: 7 };
    expect(say(verified, '/orders').listOrders).toBe(true);
    expect(say({ ...NEW_USER }, '/orders').replies[0].text).toMatch(/verification code first/);
    const question = say({ ...verified, blocked: true }, 'Where is my order?');
    expect(question.user).toMatchObject({ waiting: true, blocked: false });
    expect(question.replies).toEqual([]);
  });

  it("speaks the partner's language before the Telegram app's", () => {
    const russian = { ...NEW_USER, partnerLang: 'ru_RU', languageCode: 'en' };
    expect(say(russian, '/help').replies[0].text).toMatch(/ваши заказы/);
    const arabic = conversationStep(
      null,
      { text: '/start', languageCode: 'ar', issueKey: 'k', at },
      SECRET,
    );
    expect(arabic.replies[0].text).toMatch(/مرحباً/);
  });
});
