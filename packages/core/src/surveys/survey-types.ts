import type { SurveyConfig } from '../config/config-schema.js';

/** An answer to one question: a whole number 1–5 (`rating`), one of the options (`choice`), or text. */
export type SurveyAnswer = number | string;

/** What a player answered: answers by question id (unanswered questions are left out). */
export type SurveyAnswers = Record<string, SurveyAnswer>;

/** One user's response to a survey, as stored (once per survey and user). */
export interface SurveyResponse {
  /** The survey. */
  surveyId: string;
  /** Who answered. */
  userId: string;
  /** The story the survey was asked in. */
  threadId: string;
  /** The answers, or `null` when the player skipped the survey. */
  answers: SurveyAnswers | null;
  /** When it was stored (ISO 8601). */
  createdAt: string;
}

/** The survey as an `interrupt` event carries it, for a client to render its questions. */
export type SurveyDefinition = Pick<SurveyConfig, 'id' | 'title' | 'questions'>;

/** The aggregate of one question over every response. */
export type QuestionReport =
  | {
      /** The question's id. */
      id: string;
      /** A 1-to-5 rating question. */
      kind: 'rating';
      /** The question as the player saw it. */
      prompt: string;
      /** Responses that answered it. */
      count: number;
      /** The mean rating, or null before the first answer. */
      mean: number | null;
      /** How many gave each rating: index 0 is rating 1, index 4 rating 5. */
      distribution: number[];
    }
  | {
      /** The question's id. */
      id: string;
      /** A question answered by one of its options. */
      kind: 'choice';
      /** The question as the player saw it. */
      prompt: string;
      /** Responses that answered it. */
      count: number;
      /** Every option with how many chose it and its share of the answers (0 to 1). */
      options: Array<{
        /** The option's text. */
        option: string;
        /** Responses that chose it. */
        count: number;
        /** Its share of the answers (0 to 1). */
        share: number;
      }>;
    }
  | {
      /** The question's id. */
      id: string;
      /** A question answered by free text. */
      kind: 'text';
      /** The question as the player saw it. */
      prompt: string;
      /** Responses that answered it. */
      count: number;
      /** One page of the text answers, newest first (see {@link SurveyReport.nextCursor}). */
      answers: Array<{
        /** The answer's text. */
        text: string;
        /** When its response was stored (ISO 8601). */
        createdAt: string;
      }>;
    };

/** What `GET /admin/surveys/:id` answers: counts and aggregates of a survey's responses. */
export interface SurveyReport {
  /** The survey as configured. */
  survey: SurveyDefinition & {
    /** When the survey is asked. */
    after: {
      /** Asked at the end of the player's `turns`th turn. */
      turns: number;
    };
  };
  /** Responses stored (answered plus skipped). */
  responses: number;
  /** Responses that answered at least one question. */
  answered: number;
  /** Players who chose to skip it. */
  skipped: number;
  /** Per question, in order. */
  questions: QuestionReport[];
  /** Pass as `cursor` for the next page of text answers; absent on the last page. */
  nextCursor?: string;
}

/** Options for {@link DreamdeckSurveys.report}. */
export interface SurveyReportOptions {
  /** Text answers per page (default 20, at most 100). */
  limit?: number;
  /** From a previous report's `nextCursor`. */
  cursor?: string;
}

/** Surveys (`dd.surveys`): configured under `surveys`, asked as `survey` interrupts (see docs/surveys.md). */
export interface DreamdeckSurveys {
  /** The configured surveys. */
  list(): SurveyConfig[];
  /**
   * Stores a user's answers (or, with `null`, that they skipped it) outside a turn. Throws
   * `NOT_FOUND` for an unknown survey, `INVALID_INPUT` for answers of the wrong shape, and
   * `CONFLICT` when the user already responded; nothing is stored then.
   */
  respond(userId: string, surveyId: string, answers: unknown, options?: { threadId?: string }): Promise<SurveyResponse>;
  /** The user's stored response, or null. */
  response(userId: string, surveyId: string): Promise<SurveyResponse | null>;
  /** Aggregates of a survey's responses; `NOT_FOUND` for an unknown survey. */
  report(surveyId: string, options?: SurveyReportOptions): Promise<SurveyReport>;
}
