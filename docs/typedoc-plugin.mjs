// A TypeDoc plugin for this repository's API reference:
// - names each entry point's module after the import path users write, instead of its
//   folder in the repository ("core/src/sw" → "@bulletproof/core/sw");
// - leaves out the members a component class inherits from React's `Component` or implements
//   for it (render, lifecycle methods): they are React's contract, documented by React, not
//   API an app calls, and their inherited comments link to React types we don't document.
import { Converter, ReflectionKind } from 'typedoc';

const NAMES = {
  'core/src': '@bulletproof/core',
  'core/src/sw': '@bulletproof/core/sw',
  'react/src': '@bulletproof/react',
};

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const module of context.project.children ?? []) {
      const name = NAMES[module.name];
      if (name) module.name = name;
    }
    for (const reflection of context.project.getReflectionsByKind(ReflectionKind.ClassMember)) {
      const from =
        (reflection.inheritedFrom ?? reflection.overwrites ?? reflection.implementationOf)?.qualifiedName ??
        '';
      if (/^(React\.)?(Component|\w*Lifecycle)\./.test(from)) context.project.removeReflection(reflection);
    }
  });
}
