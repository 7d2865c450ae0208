import { data } from '@remix-run/node';
import { MAX_FILES_PER_UPLOAD, messageWithValues } from '~/platform/forms.server';
import type { FormResult } from '~/ui/form';
import type { UploadFormProblem } from './files.server';

/** An upload form sent back (422): each problem under the file field, naming its file. */
export function uploadProblems(field: string, problems: UploadFormProblem[], form: FormData) {
  const typed = Object.fromEntries(
    [...form].filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
  const result: FormResult = {
    status: 'error',
    initialValue: typed,
    error: {
      [field]: problems.map((problem) =>
        messageWithValues(`files:problems.${problem.reason}`, {
          name: problem.name,
          max: MAX_FILES_PER_UPLOAD,
        }),
      ),
    },
  };
  return data({ result }, { status: 422 });
}
