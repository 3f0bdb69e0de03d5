// The grammar of .sla files (SPEC section 4 and the test blocks of 5.4), in PEGTL.
//
// Conventions: a rule starts at a token and ends at a token, never at whitespace, so
// that every node's range is exact; `ws` separates tokens explicitly. Each point after
// which the parse is committed is its own named rule (`seen_within`, `lasting_duration`)
// with its message in errors.hpp. Parse-tree nodes are made only for the base rules
// listed in parse.cpp's selector; the commitment rules wrap them in `seq<>`.
#pragma once
#include <algorithm>

#include <tao/pegtl.hpp>

#include "grammar/keywords.hpp"

namespace slac::grammar {

namespace pegtl = tao::pegtl;
using namespace tao::pegtl;

// clang-format off

// ---------------------------------------------------------------- lexical
struct comment : seq< one< '#' >, until< eolf > > {};
struct blank : one< ' ', '\t', '\r', '\n' > {};
struct line_blank : one< ' ', '\t' > {};
struct ws : star< sor< blank, comment > > {};

struct ident_first : ranges< 'a', 'z', 'A', 'Z', '_' > {};
struct ident_other : ranges< 'a', 'z', 'A', 'Z', '0', '9', '_' > {};
struct word : seq< ident_first, star< ident_other > > {};

// Reserved words (SPEC 4). Each alternative checks its own word boundary, so that
// `on` does not shadow `only`.
struct kw_contract : TAO_PEGTL_KEYWORD( "contract" ) {};
struct kw_import : TAO_PEGTL_KEYWORD( "import" ) {};
struct kw_param : TAO_PEGTL_KEYWORD( "param" ) {};
struct kw_signal : TAO_PEGTL_KEYWORD( "signal" ) {};
struct kw_device : TAO_PEGTL_KEYWORD( "device" ) {};
struct kw_site : TAO_PEGTL_KEYWORD( "site" ) {};
struct kw_attribute : TAO_PEGTL_KEYWORD( "attribute" ) {};
struct kw_holidays : TAO_PEGTL_KEYWORD( "holidays" ) {};
struct kw_calendar : TAO_PEGTL_KEYWORD( "calendar" ) {};
struct kw_state : TAO_PEGTL_KEYWORD( "state" ) {};
struct kw_sla : TAO_PEGTL_KEYWORD( "sla" ) {};
struct kw_kpi : TAO_PEGTL_KEYWORD( "kpi" ) {};
struct kw_test : TAO_PEGTL_KEYWORD( "test" ) {};
struct kw_in : TAO_PEGTL_KEYWORD( "in" ) {};
struct kw_any : TAO_PEGTL_KEYWORD( "any" ) {};
struct kw_every : TAO_PEGTL_KEYWORD( "every" ) {};
struct kw_on : TAO_PEGTL_KEYWORD( "on" ) {};
struct kw_across : TAO_PEGTL_KEYWORD( "across" ) {};
struct kw_all : TAO_PEGTL_KEYWORD( "all" ) {};
struct kw_sites : TAO_PEGTL_KEYWORD( "sites" ) {};
struct kw_devices : TAO_PEGTL_KEYWORD( "devices" ) {};
struct kw_at : TAO_PEGTL_KEYWORD( "at" ) {};
struct kw_least : TAO_PEGTL_KEYWORD( "least" ) {};
struct kw_most : TAO_PEGTL_KEYWORD( "most" ) {};
struct kw_no : TAO_PEGTL_KEYWORD( "no" ) {};
struct kw_more : TAO_PEGTL_KEYWORD( "more" ) {};
struct kw_than : TAO_PEGTL_KEYWORD( "than" ) {};
struct kw_of : TAO_PEGTL_KEYWORD( "of" ) {};
struct kw_for : TAO_PEGTL_KEYWORD( "for" ) {};
struct kw_with : TAO_PEGTL_KEYWORD( "with" ) {};
struct kw_outage : TAO_PEGTL_KEYWORD( "outage" ) {};
struct kw_outages : TAO_PEGTL_KEYWORD( "outages" ) {};
struct kw_longer : TAO_PEGTL_KEYWORD( "longer" ) {};
struct kw_during : TAO_PEGTL_KEYWORD( "during" ) {};
struct kw_only : TAO_PEGTL_KEYWORD( "only" ) {};
struct kw_excluding : TAO_PEGTL_KEYWORD( "excluding" ) {};
struct kw_penalty : TAO_PEGTL_KEYWORD( "penalty" ) {};
struct kw_cap : TAO_PEGTL_KEYWORD( "cap" ) {};
struct kw_below : TAO_PEGTL_KEYWORD( "below" ) {};
struct kw_warn : TAO_PEGTL_KEYWORD( "warn" ) {};
struct kw_where : TAO_PEGTL_KEYWORD( "where" ) {};
struct kw_weighted : TAO_PEGTL_KEYWORD( "weighted" ) {};
struct kw_by : TAO_PEGTL_KEYWORD( "by" ) {};
struct kw_not : TAO_PEGTL_KEYWORD( "not" ) {};
struct kw_and : TAO_PEGTL_KEYWORD( "and" ) {};
struct kw_or : TAO_PEGTL_KEYWORD( "or" ) {};
struct kw_seen : TAO_PEGTL_KEYWORD( "seen" ) {};
struct kw_within : TAO_PEGTL_KEYWORD( "within" ) {};
struct kw_lasting : TAO_PEGTL_KEYWORD( "lasting" ) {};
struct kw_ignoring : TAO_PEGTL_KEYWORD( "ignoring" ) {};
struct kw_gaps : TAO_PEGTL_KEYWORD( "gaps" ) {};
struct kw_under : TAO_PEGTL_KEYWORD( "under" ) {};
struct kw_true : TAO_PEGTL_KEYWORD( "true" ) {};
struct kw_false : TAO_PEGTL_KEYWORD( "false" ) {};
struct kw_daily : TAO_PEGTL_KEYWORD( "daily" ) {};
struct kw_except : TAO_PEGTL_KEYWORD( "except" ) {};
struct kw_rolling : TAO_PEGTL_KEYWORD( "rolling" ) {};
struct kw_the : TAO_PEGTL_KEYWORD( "the" ) {};
struct kw_time : TAO_PEGTL_KEYWORD( "time" ) {};
struct kw_mon : TAO_PEGTL_KEYWORD( "mon" ) {};
struct kw_tue : TAO_PEGTL_KEYWORD( "tue" ) {};
struct kw_wed : TAO_PEGTL_KEYWORD( "wed" ) {};
struct kw_thu : TAO_PEGTL_KEYWORD( "thu" ) {};
struct kw_fri : TAO_PEGTL_KEYWORD( "fri" ) {};
struct kw_sat : TAO_PEGTL_KEYWORD( "sat" ) {};
struct kw_sun : TAO_PEGTL_KEYWORD( "sun" ) {};
struct kw_day : TAO_PEGTL_KEYWORD( "day" ) {};
struct kw_days : TAO_PEGTL_KEYWORD( "days" ) {};
struct kw_week : TAO_PEGTL_KEYWORD( "week" ) {};
struct kw_weeks : TAO_PEGTL_KEYWORD( "weeks" ) {};
struct kw_month : TAO_PEGTL_KEYWORD( "month" ) {};
struct kw_quarter : TAO_PEGTL_KEYWORD( "quarter" ) {};
struct kw_year : TAO_PEGTL_KEYWORD( "year" ) {};
struct kw_hour : TAO_PEGTL_KEYWORD( "hour" ) {};
struct kw_hours : TAO_PEGTL_KEYWORD( "hours" ) {};

// A reserved word (keywords.hpp), matched whole: `on` does not match `only`. One
// table lookup per word rather than one rule per keyword: names are tried against it
// everywhere, and the parse spends much of its time here.
struct reserved {
  using rule_t = reserved;
  using subs_t = empty_list;
  template< apply_mode, rewind_mode, template< typename... > class Action, template< typename... > class Control,
            typename ParseInput, typename... States >
  static bool match( ParseInput& in, States&&... /*unused*/ ) {
    constexpr std::size_t longest = 9;  // `attribute`, `excluding`
    const std::size_t available = in.size( longest + 1 );
    const char* p = in.current();
    std::size_t n = 0;
    while( n < available && n <= longest && is_word_char( p[ n ] ) ) ++n;
    if( n == 0 || n > longest || !is_reserved_word( std::string_view( p, n ) ) ) return false;
    in.bump( n );
    return true;
  }
  static constexpr bool is_word_char( char c ) {
    return ( c >= 'a' && c <= 'z' ) || ( c >= 'A' && c <= 'Z' ) || ( c >= '0' && c <= '9' ) || c == '_';
  }
};

// Contextual words: keywords only where they are expected, free as names elsewhere.
struct kw_customer : TAO_PEGTL_KEYWORD( "customer" ) {};
struct kw_counted : TAO_PEGTL_KEYWORD( "counted" ) {};
struct kw_intervals : TAO_PEGTL_KEYWORD( "intervals" ) {};
struct kw_failed : TAO_PEGTL_KEYWORD( "failed" ) {};
struct kw_if : TAO_PEGTL_KEYWORD( "if" ) {};
struct kw_over : TAO_PEGTL_KEYWORD( "over" ) {};
struct kw_timezone : TAO_PEGTL_KEYWORD( "timezone" ) {};
struct kw_currency : TAO_PEGTL_KEYWORD( "currency" ) {};
struct kw_version : TAO_PEGTL_KEYWORD( "version" ) {};
struct kw_enum : TAO_PEGTL_KEYWORD( "enum" ) {};
struct kw_from : TAO_PEGTL_KEYWORD( "from" ) {};
struct kw_to : TAO_PEGTL_KEYWORD( "to" ) {};
struct kw_set : TAO_PEGTL_KEYWORD( "set" ) {};
struct kw_expect : TAO_PEGTL_KEYWORD( "expect" ) {};
struct kw_verdict : TAO_PEGTL_KEYWORD( "verdict" ) {};
struct kw_total : TAO_PEGTL_KEYWORD( "total" ) {};
struct kw_met : TAO_PEGTL_KEYWORD( "met" ) {};
struct kw_breached : TAO_PEGTL_KEYWORD( "breached" ) {};
struct kw_near : TAO_PEGTL_KEYWORD( "near" ) {};
struct kw_miss : TAO_PEGTL_KEYWORD( "miss" ) {};
struct kw_attainment : TAO_PEGTL_KEYWORD( "attainment" ) {};
struct kw_none : TAO_PEGTL_KEYWORD( "none" ) {};
struct kw_longest : TAO_PEGTL_KEYWORD( "longest" ) {};
struct kw_measured : TAO_PEGTL_KEYWORD( "measured" ) {};
struct kw_good : TAO_PEGTL_KEYWORD( "good" ) {};
struct kw_rounded : TAO_PEGTL_KEYWORD( "rounded" ) {};
struct kw_downtime : TAO_PEGTL_KEYWORD( "downtime" ) {};
struct kw_less : TAO_PEGTL_KEYWORD( "less" ) {};
struct kw_average : TAO_PEGTL_KEYWORD( "average" ) {};
struct kw_per : TAO_PEGTL_KEYWORD( "per" ) {};
struct kw_up : TAO_PEGTL_KEYWORD( "up" ) {};
struct kw_each : TAO_PEGTL_KEYWORD( "each" ) {};
struct kw_events : TAO_PEGTL_KEYWORD( "events" ) {};
struct kw_months : TAO_PEGTL_KEYWORD( "months" ) {};
struct kw_starting : TAO_PEGTL_KEYWORD( "starting" ) {};
struct kw_period : TAO_PEGTL_KEYWORD( "period" ) {};
struct kw_periods : TAO_PEGTL_KEYWORD( "periods" ) {};
struct kw_mean : TAO_PEGTL_KEYWORD( "mean" ) {};
struct kw_unknown : TAO_PEGTL_KEYWORD( "unknown" ) {};
struct kw_as : TAO_PEGTL_KEYWORD( "as" ) {};

struct name : seq< not_at< reserved >, word > {};

// ---------------------------------------------------------------- literals
struct digits : seq< digit, star< sor< digit, seq< one< '_' >, digit > > > > {};
struct unsigned_number : seq< digits, opt< one< '.' >, digits > > {};
struct number_lit : seq< opt< one< '-' > >, unsigned_number, not_at< ident_other > > {};
struct percent_lit : seq< opt< one< '-' > >, unsigned_number, one< '%' > > {};
struct duration_unit : sor< string< 'm', 's' >, one< 's', 'm', 'h', 'd', 'w' > > {};
struct duration_lit : seq< plus< digits, duration_unit >, not_at< ident_other > > {};
struct date_lit : seq< rep< 4, digit >, one< '-' >, rep< 2, digit >, one< '-' >, rep< 2, digit >, not_at< ident_other > > {};
struct bool_lit : sor< kw_true, kw_false > {};

struct string_escape_char : one< '"', '\\', 'n', 't' > {};
struct string_escape : if_must< one< '\\' >, string_escape_char > {};
struct string_char : sor< string_escape, not_one< '"', '\\', '\n', '\r' > > {};
struct string_close : one< '"' > {};
struct string_lit : if_must< one< '"' >, star< string_char >, string_close > {};

struct clock : seq< rep_min_max< 1, 2, digit >, one< ':' >, rep< 2, digit >, not_at< ident_other > > {};

// `99,5%`: a decimal comma, an error of its own rather than `99` and a stray `,5%`.
struct decimal_comma : seq< digits, one< ',' >, digits, one< '%' > > {};

// A literal, or a bare name standing for a param or an enum member.
struct value : sor< seq< at< decimal_comma >, raise< decimal_comma > >, date_lit, duration_lit, percent_lit, number_lit,
                    bool_lit, string_lit, name > {};

struct comma : seq< ws, one< ',' >, ws > {};
struct equals : one< '=' > {};
struct colon : one< ':' > {};
struct block_open : one< '{' > {};
struct block_close : one< '}' > {};

// ---------------------------------------------------------------- expressions
struct or_expr;
struct not_expr;

// Guards recursion. An expression nests at most max_nesting levels: each `(`, `not`
// and postfix operator opens one, so that the parser, the syntax tree and every stage
// after it (which recurse over expressions) stay within a fixed depth. Past that is an
// E005 error, not a stack overflow. PEGTL's `in.private_depth` counts the levels open;
// `nesting_input` adds the deepest level reached, which a postfix chain needs (its
// operators come after the operand they nest).
inline constexpr std::size_t max_nesting = 100;
struct too_deep : failure {};

template< typename Base >
struct nesting_input : Base
{
   using Base::Base;
   std::size_t nesting_peak = 0;
};

template< typename ParseInput >
void note_nesting( ParseInput& in, std::size_t level )
{
   if constexpr( requires { in.nesting_peak; } ) {
      in.nesting_peak = std::max( in.nesting_peak, level );
   }
}

template< typename Rule >
struct guarded
{
   using rule_t = guarded;
   using subs_t = type_list< Rule >;

   template< apply_mode A, rewind_mode M, template< typename... > class Action, template< typename... > class Control,
             typename ParseInput, typename... States >
   [[nodiscard]] static bool match( ParseInput& in, States&&... st )
   {
      struct depth_guard {
         std::size_t& depth;
         explicit depth_guard( std::size_t& d ) : depth( ++d ) {}
         ~depth_guard() { --depth; }
      } guard( in.private_depth );
      if( in.private_depth > max_nesting ) {
         Control< too_deep >::raise( in, st... );
      }
      note_nesting( in, in.private_depth );
      return Control< Rule >::template match< A, M, Action, Control >( in, st... );
   }
};

// An operand and the postfix operators after it, applied left to right: `A lasting at
// least 5m ignoring gaps under 1m` nests A two levels deeper. The levels used inside
// the operand plus one per operator must stay within max_nesting; the error points at
// the first operator past it. Start is the keyword that begins an operator.
template< typename Operand, typename Start, typename Op >
struct postfix_chain
{
   using rule_t = postfix_chain;
   using subs_t = type_list< Operand, Start, Op >;

   template< apply_mode A, rewind_mode M, template< typename... > class Action, template< typename... > class Control,
             typename ParseInput, typename... States >
   [[nodiscard]] static bool match( ParseInput& in, States&&... st )
   {
      constexpr bool tracked = requires { in.nesting_peak; };
      const std::size_t base = in.private_depth;
      std::size_t outer_peak = 0;
      if constexpr( tracked ) {
         outer_peak = in.nesting_peak;
         in.nesting_peak = base;
      }
      if( !Control< Operand >::template match< A, M, Action, Control >( in, st... ) ) {
         if constexpr( tracked ) {
            in.nesting_peak = outer_peak;
         }
         return false;
      }
      std::size_t level = base;
      if constexpr( tracked ) {
         level = in.nesting_peak;
      }
      while( true ) {
         auto m = in.template mark< rewind_mode::required >();
         (void)Control< ws >::template match< A, rewind_mode::active, Action, Control >( in, st... );
         if( !Control< at< Start > >::template match< A, rewind_mode::active, Action, Control >( in, st... ) ) {
            break;
         }
         if( level + 1 > max_nesting ) {
            Control< too_deep >::raise( in, st... );
         }
         if( !Control< Op >::template match< A, rewind_mode::active, Action, Control >( in, st... ) ) {
            break;
         }
         (void)m( true );
         ++level;
      }
      if constexpr( tracked ) {
         in.nesting_peak = std::max( outer_peak, level );
      }
      return true;
   }
};

struct attr_scope : sor< kw_device, kw_site > {};
struct attr_name : seq< name > {};
struct attr_operand : seq< attr_scope, one< '.' >, must< attr_name > > {};
struct operand : sor< attr_operand, name > {};
struct cmp_op : sor< string< '=', '=' >, string< '!', '=' >, string< '<', '=' >, string< '>', '=' >, one< '<' >, one< '>' > > {};
struct cmp_value : seq< value > {};
struct cmp_tail : seq< cmp_op, ws, must< cmp_value > > {};
struct in_member : seq< value > {};
struct in_close : seq< ws, block_close > {};
struct in_tail : if_must< seq< kw_in, ws, block_open >, ws, in_member, star< comma, must< in_member > >, in_close > {};
struct single_equals : seq< one< '=' >, not_at< one< '=' > > > {};
struct operand_atom : seq< operand, opt< ws, sor< cmp_tail, in_tail, seq< at< single_equals >, raise< single_equals > > > > > {};

struct seen_signal : seq< name > {};
struct seen_within : seq< kw_within > {};
struct seen_duration : seq< value > {};
struct seen_expr : if_must< kw_seen, ws, seen_signal, ws, seen_within, ws, seen_duration > {};
struct during_calendar : seq< name > {};
struct during_expr : if_must< kw_during, ws, during_calendar > {};
struct bool_const : sor< kw_true, kw_false > {};
struct paren_inner : seq< or_expr > {};
struct paren_close : seq< ws, one< ')' > > {};
struct paren_expr : if_must< one< '(' >, ws, guarded< paren_inner >, paren_close > {};
struct atom : sor< paren_expr, seen_expr, during_expr, bool_const, operand_atom > {};

struct lasting_at_least : seq< kw_at, ws, kw_least > {};
struct lasting_duration : seq< value > {};
struct lasting_op : if_must< kw_lasting, ws, lasting_at_least, ws, lasting_duration > {};
struct gaps_under : seq< kw_gaps, ws, kw_under > {};
struct gaps_duration : seq< value > {};
struct gaps_op : if_must< kw_ignoring, ws, gaps_under, ws, gaps_duration > {};
// `up to D each`, `up to D per calendar UNIT` (SPEC 4.4). `up` is not reserved and is
// often a state's name, so the operator starts at `up to`, not at `up`: in `up up to
// 10d each` the first `up` is the operand.
struct calendar_unit : sor< kw_day, kw_week, kw_month, kw_quarter, kw_year > {};
struct up_to : seq< kw_up, ws, kw_to > {};
struct cap_duration : seq< value > {};
struct cap_each : seq< kw_each > {};
struct cap_calendar : seq< kw_calendar > {};
struct cap_unit : seq< calendar_unit > {};
struct cap_per : if_must< kw_per, ws, cap_calendar, ws, cap_unit > {};
struct cap_allowance : sor< cap_each, cap_per > {};
struct cap_op : if_must< up_to, ws, cap_duration, ws, cap_allowance > {};
struct postfix_start : sor< kw_lasting, kw_ignoring, up_to > {};
struct postfix_expr : postfix_chain< atom, postfix_start, sor< lasting_op, gaps_op, cap_op > > {};

struct not_operand : seq< not_expr > {};
struct not_op : if_must< kw_not, ws, guarded< not_operand > > {};
struct not_expr : sor< not_op, postfix_expr > {};
struct and_operand : seq< not_expr > {};
struct and_expr : seq< not_expr, star< ws, if_must< kw_and, ws, and_operand > > > {};
struct or_operand : seq< and_expr > {};
struct or_expr : seq< and_expr, star< ws, if_must< kw_or, ws, or_operand > > > {};
struct expr : seq< or_expr > {};

// ---------------------------------------------------------------- declarations
struct decl_name : seq< name > {};
struct decl_equals : seq< equals > {};
struct decl_colon : seq< colon > {};

struct contract_name : seq< string_lit > {};
struct header_string : seq< string_lit > {};
struct currency_code : seq< word > {};
struct customer_item : if_must< kw_customer, ws, header_string > {};
struct timezone_item : if_must< kw_timezone, ws, header_string > {};
struct currency_item : if_must< kw_currency, ws, currency_code > {};
struct version_item : if_must< kw_version, ws, header_string > {};
struct header_item : sor< customer_item, timezone_item, currency_item, version_item > {};
struct contract_decl : if_must< kw_contract, ws, contract_name, star< ws, header_item > > {};

struct import_path : seq< string_lit > {};
struct import_decl : if_must< kw_import, ws, import_path > {};

struct param_value : seq< value > {};
struct param_decl : if_must< kw_param, ws, decl_name, ws, decl_equals, ws, param_value > {};

struct enum_member : seq< name > {};
struct enum_close : seq< ws, block_close > {};
struct enum_open : seq< block_open > {};
struct enum_type : if_must< kw_enum, ws, enum_open, ws, enum_member, star< comma, must< enum_member > >, enum_close > {};
struct type_name : seq< name > {};
struct type_ref : sor< enum_type, type_name > {};
struct signal_decl : if_must< kw_signal, ws, decl_name, ws, decl_colon, ws, type_ref > {};
struct default_value : seq< value > {};
struct attr_default : if_must< equals, ws, default_value > {};
struct attribute_decl : if_must< kw_attribute, ws, decl_name, ws, decl_colon, ws, type_ref, opt< ws, attr_default > > {};
struct site_decl_body : sor< signal_decl, attribute_decl > {};
struct site_decl : if_must< kw_site, ws, site_decl_body > {};
struct device_decl_body : seq< attribute_decl > {};
struct device_decl : if_must< kw_device, ws, device_decl_body > {};

struct holiday_date : seq< date_lit > {};
struct holidays_decl : if_must< kw_holidays, ws, decl_name, ws, decl_equals, ws, holiday_date, star< comma, must< holiday_date > > > {};
// `periods NAME = DATE, DATE, ...` (SPEC 4.4): `periods` is no reserved word, but no
// other declaration starts with a name.
struct period_date : seq< date_lit > {};
struct periods_decl : if_must< kw_periods, ws, decl_name, ws, decl_equals, ws, period_date, star< comma, must< period_date > > > {};

struct day_name : sor< kw_mon, kw_tue, kw_wed, kw_thu, kw_fri, kw_sat, kw_sun > {};
struct day_range_end : seq< day_name > {};
struct day_range : seq< day_name, opt< one< '-' >, must< day_range_end > > > {};
struct span_days : sor< kw_daily, day_range > {};
struct clock_start : seq< clock > {};
struct clock_dash : seq< one< '-' > > {};
struct clock_end : seq< clock > {};
struct span : seq< span_days, ws, must< clock_start >, ws, must< clock_dash >, ws, must< clock_end > > {};
struct first_span : seq< span > {};
struct next_span : seq< span > {};
struct site_zone : if_must< kw_site, ws, kw_timezone > {};
struct zone_spec : sor< site_zone, string_lit > {};
struct cal_zone : if_must< kw_in, ws, zone_spec > {};
struct holidays_ref : seq< name > {};
struct cal_except : if_must< kw_except, ws, holidays_ref, star< comma, must< holidays_ref > > > {};
struct calendar_decl : if_must< kw_calendar, ws, decl_name, ws, decl_equals, ws, first_span, star< comma, must< next_span > >, opt< ws, cal_zone >, opt< ws, cal_except > > {};

struct state_expr : seq< expr > {};
struct state_decl : if_must< kw_state, ws, decl_name, ws, decl_equals, ws, state_expr > {};

// ---------------------------------------------------------------- SLA and KPI clauses
struct rolling_unit : sor< kw_days, kw_day, kw_weeks, kw_week, kw_hours, kw_hour, kw_months, kw_month > {};
struct rolling_count : seq< value > {};
// `starting [DAY] HH:MM`: `starting` is no reserved word, and a state of that name may
// begin the next clause, so it belongs to the window only when a day or a digit follows.
struct window_start_day : seq< day_name > {};
struct window_start_clock : seq< clock > {};
struct window_start_what : seq< opt< window_start_day, ws >, window_start_clock > {};
struct window_starting : if_must< kw_starting, ws, window_start_what > {};
struct window_starting_ahead : at< kw_starting, ws, sor< day_name, digit > > {};
struct calendar_window : if_must< kw_calendar, ws, calendar_unit, opt< ws, window_starting_ahead, window_starting > > {};
struct rolling_window : if_must< kw_rolling, ws, rolling_count, ws, rolling_unit > {};
// `period of N days|weeks starting DATE`, and `NAME period` for a declared list (SPEC 4.4).
struct period_count : seq< value > {};
struct period_unit : sor< kw_days, kw_day, kw_weeks, kw_week > {};
struct period_anchor : seq< date_lit > {};
struct period_starting : if_must< kw_starting, ws, period_anchor > {};
struct period_window : if_must< seq< kw_period, ws, kw_of >, ws, period_count, ws, period_unit, ws, period_starting > {};
struct periods_name : seq< name > {};
struct named_period_window : seq< periods_name, ws, kw_period > {};
struct window_kind : sor< calendar_window, rolling_window, period_window, named_period_window > {};
// `... in site timezone` (SPEC 4.4); line ends may come between its words, as in the
// window before it (no other clause begins with `in`).
struct window_site_zone : seq< kw_in, ws, kw_site, ws, kw_timezone > {};
struct window_clause : if_must< seq< kw_in, ws, kw_any >, ws, window_kind, opt< ws, window_site_zone > > {};

struct where_condition : seq< expr > {};
struct where_tail : if_must< kw_where, ws, where_condition > {};
// `on any site.ATTR` (SPEC 4.4): tried before `on any site`, whose keyword ends at the `.`.
struct any_site_attribute : seq< kw_site, one< '.' >, must< attr_name > > {};
struct any_site : seq< kw_site > {};
struct any_device : seq< kw_device > {};
struct any_attribute : seq< name > {};
// `on any device.kind`: a device attribute groups as `on any kind` (a message, not a
// clause end after `device`).
struct any_device_attribute : seq< kw_device, one< '.' > > {};
struct any_target : sor< any_site_attribute, any_site, seq< at< any_device_attribute >, raise< any_device_attribute > >, any_device,
                         any_attribute > {};
struct grouping_any : if_must< kw_any, ws, any_target > {};
struct every_site_word : seq< kw_site > {};
struct grouping_every : if_must< kw_every, ws, every_site_word > {};
struct grouping_percent_value : seq< value > {};
struct of_sites : seq< kw_of, ws, kw_sites > {};
struct grouping_percent : if_must< seq< kw_at, ws, kw_least >, ws, grouping_percent_value, ws, of_sites > {};
struct grouping_target : sor< grouping_any, grouping_every, grouping_percent > {};
struct on_grouping : if_must< kw_on, ws, grouping_target, opt< ws, where_tail > > {};
struct all_sites_words : seq< kw_all, ws, kw_sites > {};
struct across_grouping : if_must< kw_across, ws, all_sites_words, opt< ws, where_tail > > {};

struct requirement_state : seq< expr > {};
struct site_count : seq< kw_site, one< '.' >, must< attr_name > > {};
struct of_devices : if_must< kw_of, ws, kw_devices > {};
struct requirement_amount : sor< site_count, seq< value, opt< ws, of_devices > > > {};
struct weight_attribute : seq< name > {};
struct weighted_tail : if_must< kw_weighted, ws, kw_by, ws, weight_attribute > {};
struct at_least_requirement : if_must< seq< kw_at, ws, kw_least >, ws, requirement_amount, ws, requirement_state, opt< ws, weighted_tail > > {};
struct at_most_amount : seq< value > {};
struct at_most_requirement : if_must< seq< kw_at, ws, kw_most >, ws, at_most_amount, ws, requirement_state > {};
struct no_more_than_words : seq< kw_more, ws, kw_than > {};
struct no_more_than_requirement : if_must< kw_no, ws, no_more_than_words, ws, at_most_amount, ws, requirement_state > {};
struct all_requirement : if_must< kw_all, ws, requirement_state > {};
// An event measure (SPEC 4.4): `attempt == success of attempt events`.
struct events_signal : seq< name > {};
struct events_word : seq< kw_events > {};
struct events_of : if_must< kw_of, ws, events_signal, ws, events_word > {};
struct per_device_requirement : seq< expr, opt< ws, events_of > > {};
// `on average [per device] STATE` (SPEC 4.4): a requirement, though it starts like a
// grouping, so it is tried before `on_grouping` commits after `on`.
struct average_per_device : seq< kw_per, ws, kw_device > {};
struct average_requirement : if_must< seq< kw_on, ws, kw_average >, ws, opt< average_per_device, ws >, requirement_state > {};
// `mean of EXPR [, unknown as NUMBER]` (SPEC 4.4): a number expression with `+ - * /`
// and parentheses. `mean` is no reserved word: `mean of attempt events` stays an event
// measure of a state `mean`, so the form commits only when no `SIGNAL events` follows.
struct num_sum;
struct num_paren_close : seq< ws, one< ')' > > {};
struct num_paren_inner : seq< num_sum > {};
struct num_paren : if_must< one< '(' >, ws, guarded< num_paren_inner >, num_paren_close > {};
struct num_atom : sor< num_paren, percent_lit, number_lit, attr_operand, name > {};
struct num_mul_op : one< '*', '/' > {};
struct num_add_op : one< '+', '-' > {};
struct num_factor : seq< num_atom > {};
struct num_product : seq< num_atom, star< ws, num_mul_op, ws, must< num_factor > > > {};
struct num_term : seq< num_product > {};
struct num_sum : seq< num_product, star< ws, num_add_op, ws, must< num_term > > > {};
struct mean_expr : seq< num_sum > {};
struct mean_unknown_value : seq< value > {};
struct mean_unknown : if_must< seq< star< line_blank >, one< ',' >, ws, kw_unknown, ws, kw_as >, ws, mean_unknown_value > {};
struct mean_requirement : if_must< seq< kw_mean, ws, kw_of, ws, not_at< name, ws, kw_events > >, mean_expr, opt< mean_unknown > > {};

struct for_at_least : seq< kw_at, ws, kw_least > {};
struct for_more_than : seq< kw_more, ws, kw_than > {};
// `at least` last: a misspelt `at lest` is reported at the word that is wrong.
struct for_comparison : sor< for_more_than, for_at_least > {};
struct for_percent : seq< value > {};
struct of_the_time : seq< kw_the, ws, must< kw_time > > {};
struct of_calendar : seq< name > {};
struct of_duration : seq< duration_lit > {};
// `for at least 95% of attempt events`: the sugar of an event measure (SPEC 4.4).
struct of_events : seq< name, ws, kw_events > {};
struct of_what : sor< of_the_time, of_duration, of_events, of_calendar > {};
struct for_of : if_must< kw_of, ws, of_what > {};
// `rounded to` commits only with both words (line ends may come between tokens): a
// state named `rounded` after a `for` clause stays a requirement.
struct rounded_step : seq< value > {};
struct for_rounded : if_must< seq< kw_rounded, ws, kw_to >, ws, rounded_step > {};
struct for_objective : if_must< kw_for, ws, for_comparison, ws, for_percent, opt< ws, for_of >, opt< ws, for_rounded > > {};
struct outage_duration : seq< value > {};
struct longer_than : seq< kw_longer, ws, kw_than > {};
struct no_outage : if_must< seq< kw_no, ws, kw_outage >, ws, longer_than, ws, outage_duration > {};
struct outage_count : seq< value > {};
struct outages_word : sor< kw_outages, kw_outage > {};
struct outage_longer : if_must< seq< kw_longer, ws, kw_than >, ws, outage_duration > {};
struct outage_count_objective : if_must< seq< kw_at, ws, kw_most >, ws, outage_count, ws, outages_word, opt< ws, outage_longer > > {};
// `with at most 4h of downtime` shares `at most` with the outage count: it commits at `of`.
struct downtime_duration : seq< value > {};
struct downtime_word : seq< kw_downtime > {};
struct downtime_of : seq< kw_of, ws, downtime_word > {};
struct downtime_at_most : if_must< seq< kw_at, ws, kw_most, ws, downtime_duration, ws, at< kw_of > >, downtime_of > {};
struct downtime_less_than : if_must< seq< kw_less, ws, kw_than >, ws, downtime_duration, ws, downtime_of > {};
struct with_what : sor< no_outage, downtime_at_most, downtime_less_than, outage_count_objective > {};
struct with_objective : if_must< kw_with, ws, with_what > {};

struct during_clause : if_must< kw_during, ws, during_calendar > {};
struct only_condition : seq< expr > {};
struct only_clause : if_must< kw_only, ws, only_condition > {};
struct excluding_condition : seq< expr > {};
struct excluding_clause : if_must< kw_excluding, ws, excluding_condition > {};
// `10,000`: a thousands separator, which would end the clause after `10`.
struct thousands_comma : seq< digits, plus< one< ',' >, rep< 3, digit > >, not_at< sor< ident_other, one< '%', '.' > > > > {};
// After an amount the clause is over: `penalty 500 GBP` is not a second clause.
// An amount is an expression (SPEC 4.4): `10% of site.monthly_bill`, `shortfall *
// annual_fee / 12`; `of` binds like `*`. Line ends may come between its tokens, as
// between any others: no clause starts with an operator, so an amount ends where no
// operator follows. Each tier is a list (`amount_sum`, `amount_product`), so that a
// long chain nests no deeper in the tree than parentheses do.
struct amount_blank : seq< ws > {};
struct amount_sum;
struct amount_paren_inner : seq< amount_sum > {};
struct amount_paren_close : seq< ws, one< ')' > > {};
struct amount_paren : if_must< one< '(' >, ws, guarded< amount_paren_inner >, amount_paren_close > {};
struct amount_atom : sor< amount_paren, attr_operand, value > {};
struct amount_times : sor< one< '*', '/' >, kw_of > {};
struct amount_factor : seq< amount_atom > {};
struct amount_product : seq< amount_atom, star< amount_blank, amount_times, amount_blank, must< amount_factor > > > {};
struct amount_plus : one< '+', '-' > {};
struct amount_term : seq< amount_product > {};
struct amount_sum : seq< amount_product, star< amount_blank, amount_plus, amount_blank, must< amount_term > > > {};
struct penalty_amount : sor< seq< at< thousands_comma >, raise< thousands_comma > >, amount_sum > {};
struct penalty_end : at< star< line_blank >, sor< one< ',', '}', '#', '\r', '\n' >, eof > > {};
struct penalty_fixed : seq< penalty_amount, must< penalty_end > > {};
struct penalty_cap : if_must< kw_cap, ws, penalty_amount, penalty_end > {};
struct tier_threshold : seq< value > {};
struct tier_colon : seq< colon > {};
struct penalty_tier : if_must< kw_below, ws, tier_threshold, ws, tier_colon, ws, penalty_amount > {};
struct tier_separator : seq< ws, opt< one< ',' >, ws > > {};
struct tiers_close : seq< block_close > {};
struct first_tier : seq< penalty_tier > {};
struct penalty_tiers : if_must< block_open, ws, first_tier, star< tier_separator, penalty_tier >, ws, tiers_close > {};
struct penalty_what : sor< penalty_cap, penalty_tiers, penalty_fixed > {};
struct penalty_clause : if_must< kw_penalty, ws, penalty_what > {};
struct warn_below : seq< kw_below > {};
struct warn_percent : seq< value > {};
struct warn_clause : if_must< kw_warn, ws, warn_below, ws, warn_percent > {};

// `counted in 1m intervals, failed if any`: one clause, its comma part of it (SPEC 4.4).
// `counted` is no reserved word: `counted in {a, b}` stays a per-device requirement, and
// so does a state `counted` followed by a window `in any ...`.
struct counted_length : seq< not_at< kw_intervals >, value > {};
struct counted_intervals : seq< kw_intervals > {};
struct counted_comma : seq< star< line_blank >, one< ',' > > {};
struct counted_failed_if : seq< kw_failed, ws, kw_if > {};
struct failed_if_any : seq< kw_any > {};
struct failed_if_all : seq< kw_all > {};
struct failed_over_percent : seq< value > {};
struct failed_if_over : if_must< kw_over, ws, failed_over_percent > {};
struct counted_failed_how : sor< failed_if_any, failed_if_all, failed_if_over > {};
struct counted_clause : if_must< seq< kw_counted, ws, kw_in, ws, not_at< sor< one< '{' >, kw_any > > >, counted_length, ws, counted_intervals,
                                 counted_comma, ws, counted_failed_if, ws, counted_failed_how > {};

struct sla_clause : sor<
  window_clause, average_requirement, mean_requirement, on_grouping, across_grouping, at_least_requirement, at_most_requirement,
  no_more_than_requirement, all_requirement, for_objective, with_objective, during_clause,
  only_clause, excluding_clause, penalty_clause, warn_clause, counted_clause, per_device_requirement > {};

// The start of a top-level declaration, in a form that no block item can take: where
// recovery resumes, and where an unclosed block is taken to end. Used only in
// look-ahead, so it is built of rules that make no parse-tree nodes.
struct statement_start : sor< kw_contract, kw_import, kw_param, kw_signal,
                              seq< kw_site, ws, sor< kw_signal, kw_attribute > >, seq< kw_device, ws, kw_attribute >,
                              kw_holidays, kw_calendar, kw_state, seq< kw_periods, ws, word, ws, one< '=' > >,
                              seq< sor< kw_sla, kw_kpi >, ws, word, ws, one< '{' > >, seq< kw_test, ws, one< '"' > > > {};

// After an error inside a block, skips the rest of the failed item: past the error, to
// the end of its line, and past any `{ }` opened on the way. Defined in parse.cpp.
struct recover_item
{
   using rule_t = recover_item;
   using subs_t = empty_list;
   template< apply_mode A, rewind_mode M, template< typename... > class Action, template< typename... > class Control,
             typename ParseInput, typename... States >
   [[nodiscard]] static bool match( ParseInput& in, States&&... st );
};

// Clauses are separated by `,` or a line end; only an objective may follow another
// clause on the same line (`at least 1 up for at least 90%`, `working with no outage
// longer than 4h`).
struct clause_end : at< star< line_blank >, sor< one< ',', '}', '#', '\r', '\n' >, eof, kw_for, kw_with > > {};
struct sla_item : sor< try_catch< must< sla_clause, clause_end > >, recover_item > {};
struct sla_separator : seq< ws, opt< one< ',' >, ws > > {};
struct sla_close : seq< block_close > {};
struct sla_body : seq< block_open, ws, star< not_at< block_close >, not_at< eof >, not_at< statement_start >, sla_item, sla_separator >, must< sla_close > > {};
struct sla_name : seq< name > {};
struct sla_open : seq< sla_body > {};
struct sla_decl : if_must< kw_sla, ws, sla_name, ws, sla_open > {};
struct kpi_decl : if_must< kw_kpi, ws, sla_name, ws, sla_open > {};

// ---------------------------------------------------------------- tests (SPEC 5.4)
struct entity_word : seq< not_at< reserved >, plus< sor< ident_other, one< '-', '.', ':' > > > > {};
struct entity_id : sor< string_lit, entity_word > {};

struct time_zone_suffix : sor< one< 'Z', 'z' >, seq< one< '+', '-' >, rep< 2, digit >, one< ':' >, rep< 2, digit > > > {};
struct time_clock : seq< rep< 2, digit >, one< ':' >, rep< 2, digit >, opt< one< ':' >, rep< 2, digit >, opt< one< '.' >, rep_min_max< 1, 3, digit > > > > {};
struct time_lit : seq< rep< 4, digit >, one< '-' >, rep< 2, digit >, one< '-' >, rep< 2, digit >,
                       opt< sor< one< 'T', 't' >, plus< one< ' ' > > >, time_clock, opt< time_zone_suffix > >,
                       not_at< ident_other > > {};
struct month_lit : seq< rep< 4, digit >, one< '-' >, rep< 2, digit >, not_at< sor< ident_other, one< '-' > > > > {};
struct year_lit : seq< rep< 4, digit >, not_at< sor< ident_other, one< '-' > > > > {};
struct test_time : seq< time_lit > {};

struct attr_value : seq< value > {};
struct attr_assign : seq< name, ws, must< decl_equals >, ws, must< attr_value > > {};
struct attr_block_close : seq< block_close > {};
struct attr_block : if_must< block_open, ws, opt< attr_assign, star< sla_separator, attr_assign > >, ws, attr_block_close > {};

struct test_to : seq< kw_to > {};
struct test_span : if_must< kw_from, ws, test_time, ws, test_to, ws, test_time > {};
struct test_param : seq< name > {};
struct test_set : if_must< kw_set, ws, test_param, ws, decl_equals, ws, attr_value > {};
struct test_entity : seq< entity_id > {};
struct test_site : if_must< kw_site, ws, test_entity, opt< ws, attr_block > > {};
struct device_at : seq< kw_at > {};
struct test_device : if_must< kw_device, ws, test_entity, ws, device_at, ws, test_entity, opt< ws, attr_block > > {};
struct event_signal : seq< name > {};
struct event_value : if_must< equals, ws, attr_value > {};
struct test_event : if_must< kw_at, ws, test_time, ws, test_entity, ws, event_signal, opt< ws, event_value > > {};
struct repeat_daily : seq< kw_day, ws, kw_at, ws, clock > {};
struct repeat_every : sor< repeat_daily, value > {};
struct repeat_from : seq< kw_from > {};
struct test_repeat : if_must< kw_every, ws, repeat_every, ws, repeat_from, ws, test_time, ws, test_to, ws, test_time, ws, test_entity, ws, event_signal, opt< ws, event_value > > {};

struct expect_value : seq< value > {};
struct expect_met : seq< kw_met > {};
struct expect_breached : seq< kw_breached > {};
struct expect_near_miss : if_must< kw_near, ws, kw_miss > {};
struct expect_not_near_miss : if_must< kw_not, ws, kw_near, ws, kw_miss > {};
struct expect_attainment_none : seq< kw_none > {};
struct expect_tolerance : if_must< kw_within, ws, expect_value > {};
struct attainment_what : sor< expect_attainment_none, seq< expect_value, opt< ws, expect_tolerance > > > {};
struct expect_attainment : if_must< kw_attainment, ws, attainment_what > {};
struct expect_penalty : if_must< kw_penalty, ws, expect_value > {};
struct expect_outages : if_must< kw_outages, ws, expect_value > {};
struct expect_longest : if_must< kw_longest, ws, kw_outage, ws, expect_value > {};
struct expect_measured : if_must< kw_measured, ws, expect_value > {};
struct expect_good : if_must< kw_good, ws, expect_value > {};
struct rounded_attainment_word : seq< kw_attainment > {};
struct expect_rounded : if_must< kw_rounded, ws, rounded_attainment_word, ws, expect_value > {};
struct expect_downtime : if_must< kw_downtime, ws, expect_value > {};
struct expect_events : if_must< kw_events, ws, expect_value > {};
struct expect_good_events : if_must< seq< kw_good, ws, kw_events >, ws, expect_value > {};
struct expect_predicate : sor< expect_met, expect_breached, expect_near_miss, expect_not_near_miss, expect_attainment,
                               expect_penalty, expect_outages, expect_longest, expect_measured, expect_good_events,
                               expect_good, expect_rounded, expect_downtime, expect_events > {};
struct expect_verdict : seq< kw_verdict > {};
struct all_groups : one< '*' > {};
struct expect_group_id : sor< all_groups, test_entity > {};
struct expect_group : if_must< kw_on, ws, expect_group_id > {};
struct expect_window_time : sor< time_lit, month_lit, year_lit > {};
struct expect_window : if_must< kw_in, ws, expect_window_time > {};
struct expect_total : if_must< kw_total, ws, kw_penalty, ws, expect_value > {};
struct expect_sla : seq< name, opt< ws, expect_verdict >, opt< ws, expect_group >, opt< ws, expect_window >, ws, must< expect_predicate > > {};
struct expect_what : sor< expect_total, expect_sla > {};
struct test_expect : if_must< kw_expect, ws, expect_what > {};

struct test_item : sor< test_span, test_set, test_site, test_device, test_event, test_repeat, test_expect > {};
struct test_item_guard : sor< try_catch< must< test_item > >, recover_item > {};
struct test_close : seq< block_close > {};
struct test_body : seq< block_open, ws, star< not_at< block_close >, not_at< eof >, not_at< statement_start >, test_item_guard, sla_separator >, must< test_close > > {};
struct test_name : seq< string_lit > {};
struct test_open : seq< test_body > {};
struct test_decl : if_must< kw_test, ws, test_name, ws, test_open > {};

// ---------------------------------------------------------------- file
struct statement : sor< contract_decl, import_decl, param_decl, signal_decl, site_decl, device_decl, holidays_decl, periods_decl,
                        calendar_decl, state_decl, sla_decl, kpi_decl, test_decl > {};
struct statement_must : must< statement > {};
// For analyze(): the whole file as one rule.
struct file : seq< ws, star< statement, ws >, eof > {};

// clang-format on

}  // namespace slac::grammar

namespace tao::pegtl {
template< typename Name, typename Rule >
struct analyze_traits< Name, slac::grammar::guarded< Rule > > : analyze_seq_traits< Rule > {};
template< typename Name, typename Operand, typename Start, typename Op >
struct analyze_traits< Name, slac::grammar::postfix_chain< Operand, Start, Op > >
   : analyze_seq_traits< Operand, star< slac::grammar::ws, Op > > {};
template< typename Name >
struct analyze_traits< Name, slac::grammar::recover_item > : analyze_any_traits<> {};
template< typename Name >
struct analyze_traits< Name, slac::grammar::reserved > : analyze_any_traits<> {};
}  // namespace tao::pegtl
