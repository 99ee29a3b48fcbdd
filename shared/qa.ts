import { z } from 'zod';

export const QuestionStatus = z.enum(['pending', 'visible', 'answered', 'hidden']);
export type QuestionStatus = z.infer<typeof QuestionStatus>;

export const Question = z.object({
  id: z.string(),
  text: z.string(),
  name: z.string().optional(),
  votes: z.number().int().nonnegative(),
  status: QuestionStatus,
  pinned: z.boolean(),
  createdAt: z.string(),
});
export type Question = z.infer<typeof Question>;
