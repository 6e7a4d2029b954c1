/**
 * The API reference page's tables of refusals: HTTP errors, the codes of
 * `error` frames, and the codes and reasons the server closes sockets with.
 *
 * @example
 * ```tsx
 * <ErrorCodes />
 * <CloseCodes />
 * ```
 *
 * @module
 */
import { CLOSES, FRAME_ERRORS, HTTP_ERRORS } from "../../lib/reference/errors.ts";
import { ERROR_CODES } from "../../lib/protocol.ts";
import { Card, Code, Prose, Section, Table } from "./prose.tsx";

/** HTTP errors and frame error codes. */
export function ErrorCodes() {
  return (
    <Section
      id="errors"
      title="Error codes"
      intro="Codes are stable; `detail` is a sentence for people and may change."
    >
      <Card id="http-errors">
        <h3 class="text-sm font-semibold">
          HTTP: <Code>{'{"error": code, "detail": "…"}'}</Code>
        </h3>
        <div class="mt-3">
          <Table
            items={HTTP_ERRORS}
            rowKey={(error) => error.code}
            columns={[
              { title: "Status", cell: (error) => <span class="font-mono">{error.status}</span> },
              {
                title: "Code",
                cell: (error) => (
                  <span id={`http-${error.code}`} class="scroll-mt-6 font-mono font-semibold">{error.code}</span>
                ),
              },
              { title: "Meaning", cell: (error) => <Prose text={error.meaning} /> },
              {
                title: "Example detail",
                cell: (error) => <span class="text-slate-500 dark:text-slate-400">{error.detail}</span>,
              },
            ]}
          />
        </div>
      </Card>
      <Card id="frame-errors">
        <h3 class="text-sm font-semibold">
          WebSocket: <Code>{'{"type": "error", "code": …, "detail": "…", "id"?: …}'}</Code>
        </h3>
        <div class="mt-3">
          <Table
            items={ERROR_CODES}
            rowKey={(code) => code}
            columns={[
              {
                title: "Code",
                cell: (code) => <span id={`frame-${code}`} class="scroll-mt-6 font-mono font-semibold">{code}</span>,
              },
              { title: "Meaning", cell: (code) => <Prose text={FRAME_ERRORS[code]} /> },
            ]}
          />
        </div>
      </Card>
    </Section>
  );
}

/** The closes the server initiates. */
export function CloseCodes() {
  return (
    <Section
      id="close-codes"
      title="Close codes"
      intro="When the server closes a socket it says why, with a close code and one of these reason texts. Other closes come from the network or the browser (1006 after a dropped connection, say)."
    >
      <Table
        items={CLOSES}
        rowKey={(close) => close.reason}
        columns={[
          { title: "Code", cell: (close) => <span class="font-mono">{close.code}</span> },
          { title: "Reason", cell: (close) => <span class="font-mono font-semibold">{close.reason}</span> },
          { title: "Meaning", cell: (close) => <Prose text={close.meaning} /> },
          { title: "What to do", cell: (close) => <Prose text={close.advice} /> },
        ]}
      />
    </Section>
  );
}
