/**
 * The only place pushback talks to DS: one GetDossier read, one mutation per plan item, and the
 * justificatif upload. Payload errors come back as data; transport errors are AppErrors thrown
 * by the client (with `details.ambiguous` when DS may have applied the mutation).
 */
import { readFile } from 'node:fs/promises';
import {
  CreateDirectUploadDocument,
  DossierAccepterDocument,
  DossierClasserSansSuiteDocument,
  DossierEnvoyerMessageDocument,
  DossierModifierAnnotationsDocument,
  DossierPasserEnInstructionDocument,
  DossierRefuserDocument,
  DossierRepasserEnConstructionDocument,
  DossierRepasserEnInstructionDocument,
  GetDossierDocument,
} from '../generated/graphql.ts';
import type { DsClient } from '../graphql/client.ts';
import { payloadErrors } from '../graphql/errors.ts';
import { AppError } from '../errors.ts';
import type { DossierNode } from '../graphql/answers.ts';
import type { Justificatif, PlanItem } from './plan.ts';

export async function fetchDossier(client: DsClient, number: number, signal?: AbortSignal): Promise<DossierNode> {
  const answer = await client.request(GetDossierDocument, { number }, { context: `dossier ${number}`, ...(signal ? { signal } : {}) });
  return answer.dossier;
}

export interface MutationOutcome {
  /** DS's payload error messages, verbatim (French). Empty when it succeeded. */
  errors: string[];
  /** A small summary of what DS answered, for the journal (no personal data). */
  result: Record<string, unknown>;
  /** modifierAnnotations only: ids DS confirmed (the others failed: partial success). */
  writtenAnnotationIds?: string[];
}

export interface SendArgs {
  item: PlanItem;
  instructeurId: string;
  clientMutationId: string;
  signedBlobId?: string;
  signal?: AbortSignal;
}

/** Sends the one mutation of `item`. Never retried on an ambiguous failure: the caller re-reads instead. */
export async function sendMutation(client: DsClient, args: SendArgs): Promise<MutationOutcome> {
  const { item, instructeurId, clientMutationId } = args;
  const common = { dossierId: item.dossierId, instructeurId, clientMutationId };
  const options = { idempotent: false, context: `dossier ${item.dossierNumber}`, ...(args.signal ? { signal: args.signal } : {}) };
  const decision = (payload: { motivation?: string | undefined; disableNotification?: boolean | undefined }) => ({
    ...common,
    ...(payload.motivation !== undefined && payload.motivation.trim() !== '' ? { motivation: payload.motivation } : {}),
    ...(payload.disableNotification !== undefined ? { disableNotification: payload.disableNotification } : {}),
    ...(args.signedBlobId !== undefined ? { justificatif: args.signedBlobId } : {}),
  });
  const transition = {
    ...common,
    disableNotification: 'disableNotification' in item.payload ? (item.payload.disableNotification ?? false) : false,
  };
  const stateResult = (p: { errors?: { message: string }[] | null; dossier: { state: string } | null } | null) => ({
    errors: payloadErrors(p).messages,
    result: p?.dossier ? { state: p.dossier.state } : {},
  });

  switch (item.operation) {
    case 'passerEnInstruction':
      return stateResult(
        (await client.mutate(DossierPasserEnInstructionDocument, { input: transition }, options)).dossierPasserEnInstruction,
      );
    case 'repasserEnConstruction':
      return stateResult(
        (await client.mutate(DossierRepasserEnConstructionDocument, { input: transition }, options)).dossierRepasserEnConstruction,
      );
    case 'repasserEnInstruction':
      return stateResult(
        (await client.mutate(DossierRepasserEnInstructionDocument, { input: transition }, options)).dossierRepasserEnInstruction,
      );
    case 'accepter':
      return stateResult((await client.mutate(DossierAccepterDocument, { input: decision(item.payload) }, options)).dossierAccepter);
    case 'refuser':
      return stateResult(
        (
          await client.mutate(
            DossierRefuserDocument,
            { input: { ...decision(item.payload), motivation: item.payload.motivation } },
            options,
          )
        ).dossierRefuser,
      );
    case 'classerSansSuite':
      return stateResult(
        (
          await client.mutate(
            DossierClasserSansSuiteDocument,
            { input: { ...decision(item.payload), motivation: item.payload.motivation } },
            options,
          )
        ).dossierClasserSansSuite,
      );
    case 'envoyerMessage': {
      const payload = (
        await client.mutate(
          DossierEnvoyerMessageDocument,
          { input: { ...common, body: item.payload.body, ...(item.payload.correction ? { correction: item.payload.correction } : {}) } },
          options,
        )
      ).dossierEnvoyerMessage;
      return { errors: payloadErrors(payload).messages, result: payload?.message ? { messageId: payload.message.id } : {} };
    }
    case 'modifierAnnotations': {
      const payload = (
        await client.mutate(
          DossierModifierAnnotationsDocument,
          { input: { ...common, annotations: item.payload.annotations.map((a) => ({ id: a.id, value: a.value })) } },
          options,
        )
      ).dossierModifierAnnotations;
      const requested = new Set(item.payload.annotations.map((a) => a.id));
      // DS keeps the valid annotations of a batch and reports the others in `errors` (NOTES §3).
      const written = (payload?.annotations ?? []).map((c) => c.champDescriptorId || c.id).filter((id) => requested.has(id));
      return { errors: payloadErrors(payload).messages, result: { annotations: written }, writtenAnnotationIds: written };
    }
  }
}

/**
 * Uploads a justificatif the way DS wants it (NOTES §3): createDirectUpload, then PUT the bytes to
 * the returned URL with the returned headers; the signedBlobId goes into the decision mutation.
 */
export async function uploadJustificatif(
  client: DsClient,
  dossierId: string,
  justificatif: Justificatif,
  signal?: AbortSignal,
): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(justificatif.path);
  } catch (cause) {
    throw new AppError('usage', `Justificatif illisible : ${justificatif.path}. Vérifiez le chemin du fichier.`, { cause });
  }
  const answer = await client.mutate(
    CreateDirectUploadDocument,
    {
      input: {
        dossierId,
        filename: justificatif.filename,
        byteSize: bytes.byteLength,
        checksum: justificatif.checksum,
        contentType: justificatif.contentType,
      },
    },
    // Creating a blob has no effect on the dossier: safe to replay.
    { idempotent: true, context: `justificatif ${justificatif.filename}`, ...(signal ? { signal } : {}) },
  );
  const upload = answer.createDirectUpload?.directUpload;
  if (!upload) throw new AppError('malformed_answer', 'DS n’a pas renvoyé d’adresse de dépôt pour le justificatif. Réessayez plus tard.');
  let headers: Record<string, string> = {};
  try {
    headers = JSON.parse(upload.headers) as Record<string, string>;
  } catch {
    headers = {};
  }
  // Through the client: its fetch, time limit, retries and request budget, like every DS call.
  await client.upload(upload.url, bytes, headers, { context: `justificatif « ${justificatif.filename} »`, ...(signal ? { signal } : {}) });
  return upload.signedBlobId;
}
