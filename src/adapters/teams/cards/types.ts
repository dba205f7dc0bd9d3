/**
 * The subset of the Adaptive Card 1.5 schema (adaptivecards.io/schemas/adaptive-card.json) the Teams renderer
 * emits. Kept narrow on purpose: every property here is one Teams renders and the `adaptivecards` package parses
 * without warnings (the golden tests check both).
 */

export const CARD_VERSION = '1.5';
export const CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';
/** The invoke response and attachment content type Teams accepts (not `application/vnd.microsoft.adaptive.card`). */
export const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

export type TextColor = 'Default' | 'Dark' | 'Light' | 'Accent' | 'Good' | 'Warning' | 'Attention';
export type ContainerStyle = 'default' | 'emphasis' | 'good' | 'attention' | 'warning' | 'accent';
export type Spacing = 'None' | 'Small' | 'Default' | 'Medium' | 'Large' | 'ExtraLarge';

export interface TextBlock {
  type: 'TextBlock';
  /** Rendered as (a subset of) Markdown: only fixed text or `md()`-neutralised text goes here. */
  text: string;
  wrap?: boolean;
  weight?: 'Default' | 'Lighter' | 'Bolder';
  size?: 'Default' | 'Small' | 'Medium' | 'Large' | 'ExtraLarge';
  color?: TextColor;
  isSubtle?: boolean;
  spacing?: Spacing;
  separator?: boolean;
  maxLines?: number;
}

/** TextRun text is never processed as Markdown (schema: "Markdown is not supported"): the place for pasted text. */
export interface TextRun {
  type: 'TextRun';
  text: string;
  fontType?: 'Default' | 'Monospace';
  size?: 'Default' | 'Small' | 'Medium' | 'Large' | 'ExtraLarge';
  weight?: 'Default' | 'Lighter' | 'Bolder';
  color?: TextColor;
  isSubtle?: boolean;
}

export interface RichTextBlock {
  type: 'RichTextBlock';
  inlines: TextRun[];
  spacing?: Spacing;
  separator?: boolean;
}

export interface Fact {
  title: string;
  value: string;
}

export interface FactSet {
  type: 'FactSet';
  facts: Fact[];
  spacing?: Spacing;
  separator?: boolean;
}

export interface Container {
  type: 'Container';
  /** Needed only by Action.ToggleVisibility, which names the elements it shows and hides. */
  id?: string;
  /** false: hidden until a ToggleVisibility shows it (the client does it; no round trip to the bot). */
  isVisible?: boolean;
  items: CardElement[];
  style?: ContainerStyle;
  spacing?: Spacing;
  separator?: boolean;
  bleed?: boolean;
}

export interface ActionSet {
  type: 'ActionSet';
  actions: CardAction[];
  spacing?: Spacing;
  separator?: boolean;
}

export interface Column {
  type: 'Column';
  items: CardElement[];
  /** `auto`, `stretch` or a weight ("2"). */
  width?: 'auto' | 'stretch' | number;
  verticalContentAlignment?: 'Top' | 'Center' | 'Bottom';
}

/** Side-by-side columns (the audit rows); Teams renders ColumnSet everywhere, unlike the newer Table. */
export interface ColumnSet {
  type: 'ColumnSet';
  columns: Column[];
  spacing?: Spacing;
  separator?: boolean;
}

/**
 * Inputs (schema 1.3+ `label`, `isRequired`, `errorMessage`). An Action.Execute sends their values merged into its
 * `data`, keyed by the input `id`, as strings (the Toggle's `valueOn`/`valueOff`); an empty Input.Text is left out.
 */
export interface InputText {
  type: 'Input.Text';
  id: string;
  label?: string;
  placeholder?: string;
  isMultiline?: boolean;
  maxLength?: number;
  isRequired?: boolean;
  errorMessage?: string;
  value?: string;
  spacing?: Spacing;
}

export interface Choice {
  title: string;
  value: string;
}

export interface InputChoiceSet {
  type: 'Input.ChoiceSet';
  id: string;
  label?: string;
  choices: Choice[];
  placeholder?: string;
  style?: 'compact' | 'expanded';
  value?: string;
  isRequired?: boolean;
  errorMessage?: string;
  spacing?: Spacing;
}

export interface InputToggle {
  type: 'Input.Toggle';
  id: string;
  title: string;
  label?: string;
  value?: string;
  valueOn?: string;
  valueOff?: string;
  wrap?: boolean;
  spacing?: Spacing;
}

/** Input.Date (`YYYY-MM-DD`) and Input.Time (`HH:MM`): values come back as those strings, with no time zone. */
export interface InputDate {
  type: 'Input.Date';
  id: string;
  label?: string;
  min?: string;
  max?: string;
  spacing?: Spacing;
}
export interface InputTime {
  type: 'Input.Time';
  id: string;
  label?: string;
  spacing?: Spacing;
}

export type CardInput = InputText | InputChoiceSet | InputToggle | InputDate | InputTime;

export type CardElement = TextBlock | RichTextBlock | FactSet | Container | ActionSet | ColumnSet | CardInput;

/** Universal Actions: Teams sends an `adaptiveCard/action` invoke with `verb` and `data`. */
export interface ExecuteAction {
  type: 'Action.Execute';
  title: string;
  verb: string;
  data: Record<string, unknown>;
  style?: 'default' | 'positive' | 'destructive';
  tooltip?: string;
}

export interface OpenUrlAction {
  type: 'Action.OpenUrl';
  title: string;
  url: string;
  tooltip?: string;
}

/** Shows or hides the named elements in the client, for whoever clicks; the bot never hears of it. */
export interface ToggleVisibilityAction {
  type: 'Action.ToggleVisibility';
  title: string;
  targetElements: string[];
  tooltip?: string;
}

export type CardAction = ExecuteAction | OpenUrlAction | ToggleVisibilityAction;

/**
 * Universal Actions refresh: Teams clients of the users in `userIds` (Teams user ids, `29:…`, at most 60) invoke
 * `action` automatically when they show the card (at most once a minute) and show the card the bot answers with
 * instead: the per-user view. Everyone else sees the card as sent.
 */
export interface Refresh {
  action: { type: 'Action.Execute'; verb: string; data: Record<string, unknown> };
  userIds: string[];
}

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: typeof CARD_SCHEMA;
  version: typeof CARD_VERSION;
  body: CardElement[];
  actions?: CardAction[];
  refresh?: Refresh;
  /** Short text for notifications and screen readers. */
  fallbackText?: string;
  speak?: string;
  msteams?: { width: 'Full' };
}

export function card(
  body: CardElement[],
  options: { actions?: CardAction[]; fallbackText?: string; refresh?: Refresh | null } = {},
): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: CARD_SCHEMA,
    version: CARD_VERSION,
    ...(options.refresh ? { refresh: options.refresh } : {}),
    body,
    ...(options.actions && options.actions.length > 0 ? { actions: options.actions } : {}),
    ...(options.fallbackText ? { fallbackText: options.fallbackText } : {}),
    msteams: { width: 'Full' },
  };
}
