/**
 * The e-mail receiver's lifecycle: answers to one mail server share a pooled connection that
 * closes with the server, and a message stored but not yet worked when the server stops is
 * worked after the restart.
 */
import { mailIntake } from './support/mail-intake';
import { databaseKinds } from './support/test-app';
import { waitFor } from './support/wait-for';

describe.each(databaseKinds())('the e-mail receiver across restarts on %s', (db) => {
  const mail = mailIntake(db);
  const { send, messages, message, answerTo, start } = mail;

  it('answers to one mail server share a pooled connection, closed when the server stops', async () => {
    const answered = async (n: number) => {
      await send({ messageId: `<pooled-${n}@stores.example>`, text: `Store: S-5\nSKU-${n} x 1` });
      return answerTo((await message(`<pooled-${n}@stores.example>`)).id);
    };
    const first = await answered(1);
    const second = await answered(2);
    // The second answer went over the first one's connection: no new SMTP greeting to wait for.
    expect(second.session).toBe(first.session);
    expect(mail.sink.connections().open).toBeGreaterThan(0);
    await mail.app.close();
    // Shutdown closed the pool: the sink has no connection of Ordo's left open.
    await waitFor(async () => mail.sink.connections().open === 0 || undefined);
    await start();
  });

  it('a message stored when the server stops is worked after the restart', async () => {
    await mail.app.close();
    await start(false); // this process stores messages but works none
    await send({
      messageId: '<restart@stores.example>',
      text: 'Store: S-6\nOrder no: PO-RESTART\nSKU-1 x 5',
    });
    const pending = (await messages()).find((m) => m.messageId === '<restart@stores.example>');
    expect(pending).toMatchObject({ outcome: 'pending', orders: [] });
    await mail.app.close();
    await start();
    const record = await message('<restart@stores.example>');
    expect(record).toMatchObject({ outcome: 'created', orders: [{ externalRef: 'PO-RESTART' }] });
    await answerTo(record.id);
  });
});
