import nodemailer, { type Transporter } from 'nodemailer';

export interface MailMessage {
  to: string[];
  subject: string;
  text: string;
  /** `<…@…>`; the same notice always gets the same one, so receivers can drop a duplicate. */
  messageId?: string;
}

/** Sends e-mail over SMTP (nodemailer: the maintained standard for Node). */
export class Mailer {
  private readonly transport: Transporter | undefined;

  constructor(smtpUrl: string | undefined, private readonly from: string) {
    this.transport = smtpUrl ? nodemailer.createTransport(smtpUrl) : undefined;
  }

  get enabled(): boolean {
    return this.transport !== undefined;
  }

  async send(message: MailMessage): Promise<void> {
    if (!this.transport || message.to.length === 0) return;
    await this.transport.sendMail({ from: this.from, to: message.to, subject: message.subject, text: message.text, messageId: message.messageId });
  }

  close(): void {
    this.transport?.close();
  }
}
