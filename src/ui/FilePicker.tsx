import type { RefObject } from 'react';
import type { LoaderFile } from '../data/loaders/index';
import { filesFromFileList } from '../data/loaders/fromDataTransfer';

interface Props {
  inputRef: RefObject<HTMLInputElement | null>;
  testId: string;
  /** Pick folders (webkitdirectory) instead of files: a browser's chooser does one or the other. */
  folders?: boolean;
  onFiles: (files: LoaderFile[]) => void;
}

/**
 * The hidden `<input type="file" multiple>` behind a "pick…" button (which calls `inputRef.current.click()`). Its
 * value is cleared after each pick, so picking the same files again still loads them.
 */
export function FilePicker({ inputRef, testId, folders = false, onFiles }: Props) {
  return (
    <input
      ref={inputRef}
      type="file"
      multiple
      hidden
      data-testid={testId}
      onChange={(e) => {
        if (e.target.files) onFiles(filesFromFileList(e.target.files));
        e.target.value = '';
      }}
      {...(folders ? ({ webkitdirectory: '' } as Record<string, string>) : {})}
    />
  );
}
