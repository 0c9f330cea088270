import { Fragment } from 'react';
import { camelParts } from '../app/figures.ts';

/** An XBRL name that wraps only between its words (a <wbr> before each capital), never inside one. */
export function XbrlName({ name }: { name: string }) {
  return (
    <>
      {camelParts(name).map((part, i) => (
        <Fragment key={i}>
          {i > 0 && <wbr />}
          {part}
        </Fragment>
      ))}
    </>
  );
}
