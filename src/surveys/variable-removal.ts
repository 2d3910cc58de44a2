// The edits that delete variables, as pure changes of a definition: deleting a question (its variable, or
// a matrix's row variables) and deleting a custom background variable. The survey service applies them;
// the impact preview applies them to a copy to say what would change before anything is saved.
import { AppError, notFound } from '../http/errors.js';
import type { SurveyDefinition } from './survey-model.js';

/** Removes question `questionId` from `def` (in place); 404 when the survey has no such question. */
export function removeQuestion(def: SurveyDefinition, questionId: string): void {
  const index = def.questions.findIndex((q) => q.id === questionId);
  if (index < 0) throw notFound('Question not found.');
  def.questions.splice(index, 1);
}

/**
 * Removes custom background variable `variableId` from `def` (in place); 404 when there is none, 400 for
 * a system variable (first name, last name and e-mail belong to every non-anonymous survey).
 */
export function removeBackgroundVariable(def: SurveyDefinition, variableId: string): void {
  const index = def.backgroundVariables.findIndex((b) => b.id === variableId);
  if (index < 0) throw notFound('Background variable not found.');
  if (def.backgroundVariables[index]!.system !== null) {
    const message = 'is a system variable (first name, last name, e-mail), which cannot be deleted';
    throw new AppError('VALIDATION_FAILED', `vid: ${message}`, [{ field: 'vid', message }]);
  }
  def.backgroundVariables.splice(index, 1);
}
