import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

class ModelRateView {
  @ApiProperty({ example: 'sale.order' }) model: string;
  @ApiProperty({ type: [Number], description: 'Changes per second, one value per minute' })
  per_second: number[];
}

class ChangeSeriesView {
  @ApiProperty({ type: [String], description: 'Start of each minute of the last hour' })
  minutes: string[];
  @ApiProperty({ type: [ModelRateView] }) models: ModelRateView[];
}

class CaptureLagView {
  @ApiProperty() slot: string;
  @ApiProperty() active: boolean;
  @ApiProperty() lag_bytes: number;
  @ApiProperty() lag_seconds: number;
  @ApiProperty({ enum: ['streaming', 'stopped', 'not-found', 'unknown'] }) status: string;
}

class LagPointView {
  @ApiProperty({ description: 'ms since the epoch' }) at: number;
  @ApiProperty() lag: number;
}

class ConsumerLagView {
  @ApiProperty({ example: 'projector.feed' }) name: string;
  @ApiProperty() group: string;
  @ApiProperty({ enum: ['running', 'stopped', 'paused', 'rebuilding'] }) state: string;
  @ApiProperty() lag: number;
  @ApiProperty({ type: [LagPointView], description: 'Recent lag, oldest first' })
  trend: LagPointView[];
}

class AlertView {
  @ApiProperty({
    enum: ['subscriber-disabled', 'dead-deliveries', 'dead-letters', 'capture-stopped'],
  })
  kind: string;
  @ApiProperty() message: string;
  @ApiPropertyOptional() subscriber_id?: number;
  @ApiPropertyOptional() count?: number;
}

export class OverviewView {
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ type: ChangeSeriesView }) changes: ChangeSeriesView;
  @ApiProperty({ type: CaptureLagView }) capture: CaptureLagView;
  @ApiProperty({ type: [ConsumerLagView] }) consumers: ConsumerLagView[];
  @ApiProperty({ type: [AlertView] }) alerts: AlertView[];
}
