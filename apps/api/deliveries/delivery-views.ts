import { ApiProperty, OmitType } from '@nestjs/swagger';

const STATUSES = ['pending', 'processing', 'sent', 'failed', 'dead'];

/** OpenAPI shapes of the delivery log's answers. */
export class DeliveryView {
  @ApiProperty() delivery_id: string;
  @ApiProperty() subscriber_id: number;
  @ApiProperty() event_id: string;
  @ApiProperty() model: string;
  @ApiProperty() record_id: number;
  @ApiProperty({ enum: ['create', 'write', 'unlink'] }) event: string;
  @ApiProperty({ enum: STATUSES }) status: string;
  @ApiProperty({ description: 'Attempts made so far' }) attempts: number;
  @ApiProperty({ nullable: true, type: Number }) http_status: number | null;
  @ApiProperty({ nullable: true, type: Number }) duration_ms: number | null;
  @ApiProperty({ nullable: true, type: String }) error_class: string | null;
  @ApiProperty({ nullable: true, type: String }) error_message: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) next_retry_at: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  first_attempt_at: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  last_attempt_at: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) delivered_at: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Sent again by this replay (odoo-stream replays lists it)',
  })
  replay_id: string | null;
}

export class DeliveryAttemptView {
  @ApiProperty() attempt: number;
  @ApiProperty({ enum: STATUSES }) status: string;
  @ApiProperty({ nullable: true, type: Number }) http_status: number | null;
  @ApiProperty({ nullable: true, type: Number }) duration_ms: number | null;
  @ApiProperty({ nullable: true, type: String }) error_class: string | null;
  @ApiProperty({ nullable: true, type: String }) error_message: string | null;
  @ApiProperty({ nullable: true, type: String }) response_excerpt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) next_retry_at: string | null;
  @ApiProperty({ format: 'date-time' }) at: string;
}

export class DeliveryDetailView extends OmitType(DeliveryView, ['attempts'] as const) {
  @ApiProperty({ nullable: true, type: String }) response_excerpt: string | null;
  @ApiProperty({
    nullable: true,
    description: 'The body sent (null when it was too large for the log)',
  })
  body: unknown;
  @ApiProperty({ type: [DeliveryAttemptView] }) attempts: DeliveryAttemptView[];
}

export class RetryAcceptedView {
  @ApiProperty() success: boolean;
  @ApiProperty() accepted: boolean;
  @ApiProperty() delivery_id: string;
  @ApiProperty({ format: 'date-time' }) timestamp: string;
}

export class RecoverAcceptedView {
  @ApiProperty() success: boolean;
  @ApiProperty({ description: 'Deliveries sent again' }) requeued: number;
  @ApiProperty({ format: 'date-time' }) timestamp: string;
}

class LatencyView {
  @ApiProperty({ nullable: true, type: Number }) p50: number | null;
  @ApiProperty({ nullable: true, type: Number }) p99: number | null;
}

export class SubscriberStatsView {
  @ApiProperty() subscriber_id: number;
  @ApiProperty() deliveries: number;
  @ApiProperty({ description: 'Waiting for their first attempt' }) pending: number;
  @ApiProperty() sent: number;
  @ApiProperty() failed: number;
  @ApiProperty() dead: number;
  @ApiProperty({ description: 'Requests made (a pending delivery has made none)' })
  attempts: number;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'sent / deliveries tried at least once; null before the first attempt',
  })
  success_rate: number | null;
  @ApiProperty({ type: LatencyView, description: 'Attempt latency in ms' }) latency_ms: LatencyView;
}
