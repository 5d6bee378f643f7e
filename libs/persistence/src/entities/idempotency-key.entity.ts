import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** The answer to a write, kept under the client's Idempotency-Key so a retry gets the same answer. */
@Entity('idempotency_keys')
export class IdempotencyKeyEntity {
  @PrimaryColumn({ type: 'text' })
  key!: string;

  @PrimaryColumn({ name: 'user_id', type: 'text' })
  userId!: string;

  /** Method, path and body hash: the same key with another request is refused. */
  @Column({ name: 'request_hash', type: 'text' })
  requestHash!: string;

  @Column({ name: 'status_code', type: 'int' })
  statusCode!: number;

  @Column({ type: 'jsonb' })
  response!: unknown;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
