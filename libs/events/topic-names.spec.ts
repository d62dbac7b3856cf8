import { consumerGroup, internalTopic, modelTopic, modelTopicsOf } from './topic-names';

describe('topic names', () => {
  it('names a model topic <prefix>.<db>.<model>', () => {
    expect(modelTopic('odoo', 'prod', 'sale.order')).toBe('odoo.prod.sale.order');
  });

  it('keeps odoo-stream topics apart from model topics', () => {
    expect(internalTopic('odoo', 'feed-acks')).toBe('odoo.stream.feed-acks');
    expect(consumerGroup('odoo', 'projector', 'feed')).toBe('odoo.projector.feed');
  });

  it('refuses a name Kafka would refuse', () => {
    expect(() => modelTopic('odoo', 'my db', 'sale.order')).toThrow(
      "'odoo.my db.sale.order' is not a valid Kafka topic name",
    );
    expect(() => modelTopic('odoo', 'x'.repeat(250), 'res.partner')).toThrow(
      /not a valid Kafka topic name/,
    );
  });

  it("finds one model's topics, of every database or of one", () => {
    const topics = [
      'odoo.a.sale.order',
      'odoo.b.sale.order',
      'odoo.a.sale.order.line',
      'odoo.stream.feed-acks',
    ];
    expect(modelTopicsOf('odoo', 'sale.order', undefined, topics)).toEqual([
      'odoo.a.sale.order',
      'odoo.b.sale.order',
    ]);
    expect(modelTopicsOf('odoo', 'sale.order', 'b', topics)).toEqual(['odoo.b.sale.order']);
    expect(modelTopicsOf('odoo', 'res.partner', undefined, topics)).toEqual([]);
  });
});
