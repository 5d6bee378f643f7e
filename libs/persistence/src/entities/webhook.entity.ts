import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** A system that wants to hear of events (issue 14), registered by an administrator. */
@Entity('webhook_subscriptions')
export class WebhookSubscriptionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  url!: string;

  /** The HMAC-SHA256 key of the signatures; never answered by the API. */
  @Column({ type: 'text' })
  secret!: string;

  @Column({ name: 'event_types', type: 'text', array: true })
  eventTypes!: string[];

  /** Lead units whose events it receives; empty: every unit. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  units!: string[];

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** One event for one subscriber, and how its delivery went. */
@Entity('webhook_deliveries')
export class WebhookDeliveryEntity {
  @PrimaryColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'subscription_id', type: 'uuid' })
  subscriptionId!: string;

  @Column({ name: 'event_id', type: 'text' })
  eventId!: string;

  /** The read-model event it came from (`<assignment id>:<seq>`, `plan:<id>`): claimed once per subscriber. */
  @Column({ name: 'source_key', type: 'text' })
  sourceKey!: string;

  @Column({ name: 'event_type', type: 'text' })
  eventType!: string;

  @Column({ type: 'jsonb' })
  payload!: unknown;

  /** pending, delivered, failed (retries exhausted), cancelled (subscriber disabled). */
  @Column({ type: 'text' })
  status!: string;

  @Column({ type: 'int' })
  attempts!: number;

  @Column({ name: 'last_status', type: 'int', nullable: true })
  lastStatus!: number | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'last_attempt_at', type: 'timestamptz', nullable: true })
  lastAttemptAt!: Date | null;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;
}
