// The conformance cases and a hostile-input table through the generated Kotlin bindings, on
// the JVM. Case JSON becomes Kotlin records (BigDecimal money, LocalDate dates); results are
// written back to JSON by reflection over the data classes and compared by the subset rule of
// conformance/README.md. Prints `kotlin ...: N passed, N failed`; exits 1 on any failure.
import com.google.gson.JsonArray
import com.google.gson.JsonElement
import com.google.gson.JsonNull
import com.google.gson.JsonObject
import com.google.gson.JsonParser
import com.google.gson.JsonPrimitive
import java.io.File
import java.lang.reflect.Modifier
import java.lang.reflect.ParameterizedType
import java.lang.reflect.Type
import java.lang.reflect.WildcardType
import java.math.BigDecimal
import java.time.LocalDate
import kotlin.system.exitProcess
import org.apotheca.*

class CaseInputError(msg: String) : Exception(msg)

fun snake(s: String) = s.replace(Regex("[A-Z]")) { "_" + it.value.lowercase() }.trimStart('_')

// ---- results → JSON ---------------------------------------------------------------------
fun toJson(v: Any?): JsonElement = when (v) {
    null -> JsonNull.INSTANCE
    is JsonElement -> v
    is String -> JsonPrimitive(v)
    is Boolean -> JsonPrimitive(v)
    is UInt -> JsonPrimitive(v.toLong())
    is ULong -> JsonPrimitive(v.toLong())
    is Number -> JsonPrimitive(v)
    is BigDecimal -> JsonPrimitive(v.toPlainString())
    // A forecasting model is a sealed class: its variant's name, then its fields, as in JSON.
    is Model -> record(v).also { it.addProperty("name", snake(v.javaClass.simpleName)) }
    is LocalDate -> JsonPrimitive(v.toString())
    is Enum<*> -> JsonPrimitive(v.name.lowercase())
    is List<*> -> JsonArray().apply { v.forEach { add(toJson(it)) } }
    else -> record(v)
}

fun record(v: Any): JsonObject {
    val o = JsonObject()
    for (f in v.javaClass.declaredFields) {
        if (Modifier.isStatic(f.modifiers)) continue
        f.isAccessible = true
        val value = f.get(v)
        if (value is SkipReason) { // flattened, as in every other language: reason + its fields
            o.addProperty("reason", snake(value.javaClass.simpleName))
            record(value).entrySet().forEach { (k, x) -> o.add(k, x) }
        } else if (v is Pick && f.name == "shortDated" && value == false) {
            // Left out at false, as the wire form (serde's skip_serializing_if) does.
        } else {
            o.add(snake(f.name), toJson(value))
        }
    }
    return o
}

// ---- case JSON → Kotlin records -----------------------------------------------------------
fun JsonObject.str(k: String): String = get(k)?.takeIf { !it.isJsonNull }?.asString ?: throw CaseInputError("missing $k")
fun JsonObject.opt(k: String): String? = get(k)?.takeIf { !it.isJsonNull }?.asString
fun JsonObject.long(k: String): Long = get(k)?.takeIf { !it.isJsonNull }?.asLong ?: throw CaseInputError("missing $k")
fun JsonObject.list(k: String): List<JsonObject> = get(k)?.takeIf { it.isJsonArray }?.asJsonArray?.map { it.asJsonObject } ?: emptyList()
/// A key a Kotlin record has no field for (a typo, a field of another movement) cannot be
/// written by a Kotlin caller: such a case is "not expressible in Kotlin".
fun JsonObject.only(vararg keys: String): JsonObject {
    keySet().firstOrNull { it !in keys }?.let { throw CaseInputError("no field $it") }
    return this
}
fun date(s: String): LocalDate = LocalDate.parse(s)
fun dec(s: String) = BigDecimal(s)
inline fun <reified E : Enum<E>> enumOf(s: String): E = enumValueOf(s.uppercase())

fun location(o: JsonObject) = Location(o.str("id"), o.str("name"), o.get("priority")?.takeIf { !it.isJsonNull }?.asLong?.toUInt())
fun product(o: JsonObject) = Product(
    o.str("id"), o.str("name"), o.str("generic_name"), o.list("ingredients").map { Ingredient(it.str("name"), it.str("strength")) },
    enumOf(o.str("form")), o.long("pack_size"), o.get("sold_loose")?.asBoolean ?: true, enumOf(o.str("schedule")), o.str("tax_category"), enumOf(o.str("storage")),
    o.get("shelf_life")?.takeIf { it.isJsonObject }?.asJsonObject?.let { s ->
        fun d(k: String) = s.get(k)?.takeIf { !it.isJsonNull }?.asLong?.toUInt()
        ShelfLife(d("expiration_days"), d("use_days"), d("removal_days"), d("alert_days"))
    },
)
fun batch(o: JsonObject) = Batch(
    o.str("product"), o.str("batch"), o.opt("expiry")?.let(::date), o.opt("manufactured")?.let(::date), dec(o.str("unit_cost")), dec(o.str("mrp")),
    o.opt("supplier"), o.opt("status")?.let { enumOf<BatchStatus>(it) } ?: BatchStatus.RELEASED,
    o.get("pack_size")?.takeIf { !it.isJsonNull }?.asLong,
    o.opt("use_by")?.let(::date), o.opt("removal")?.let(::date), o.opt("alert")?.let(::date),
)
fun catalog(o: JsonObject) = Catalog(o.list("locations").map(::location), o.list("products").map(::product), o.list("batches").map(::batch))
val LINE_KEYS = arrayOf("type", "product", "batch", "location", "qty")
fun movement(o: JsonObject): Movement = when (o.str("type")) {
    "receipt" -> Movement.Receipt(o.opt("unit_cost")?.let(::dec), o.get("accept_expired")?.takeIf { !it.isJsonNull }?.asBoolean ?: false)
    "dispense" -> Movement.Dispense(o.opt("reservation"))
    "customer_return" -> Movement.CustomerReturn(o.opt("unit_cost")?.let(::dec))
    "supplier_return" -> Movement.SupplierReturn
    "adjust_in" -> Movement.AdjustIn(enumOf(o.str("reason")), o.opt("unit_cost")?.let(::dec))
    "adjust_out" -> Movement.AdjustOut(enumOf(o.str("reason")))
    "transfer_out" -> Movement.TransferOut(o.str("transfer"), o.str("to"))
    "transfer_in" -> Movement.TransferIn(o.str("transfer"))
    "reserve" -> Movement.Reserve(o.str("reservation"))
    "release_reservation" -> Movement.ReleaseReservation(o.str("reservation"))
    "quarantine" -> Movement.Quarantine
    "release_quarantine" -> Movement.ReleaseQuarantine
    else -> throw CaseInputError("unknown movement")
}
fun movementKeys(type: String): Array<String> = when (type) {
    "receipt" -> arrayOf("unit_cost", "accept_expired")
    "customer_return" -> arrayOf("unit_cost")
    "adjust_in" -> arrayOf("reason", "unit_cost")
    "adjust_out" -> arrayOf("reason")
    "dispense", "reserve", "release_reservation" -> arrayOf("reservation")
    "transfer_out" -> arrayOf("transfer", "to")
    "transfer_in" -> arrayOf("transfer")
    else -> arrayOf()
}
fun line(o: JsonObject) = o.only(*LINE_KEYS, *movementKeys(o.str("type"))).let {
    Line(movement(o), o.str("product"), o.str("batch"), o.str("location"), o.long("qty"))
}
fun posting(o: JsonObject) = o.only("key", "date", "reference", "lines").let {
    Posting(o.str("key"), date(o.str("date")), o.opt("reference"), o.list("lines").map(::line))
}
fun vvm(v: JsonObject) = v.only("level", "unusable", "code").let { VvmStatus(v.long("level").toUInt(), v.get("unusable")?.asBoolean ?: false, v.opt("code")) }
fun statusChange(o: JsonObject): StatusChange {
    o.only("key", "date", "product", "batch", "status", "reason", "location", "vvm", "expiry")
    return StatusChange(o.str("key"), date(o.str("date")), o.str("product"), o.str("batch"), o.opt("status")?.let { enumOf<BatchStatus>(it) }, o.opt("reason"), o.opt("location"),
        o.get("vvm")?.takeIf { it.isJsonObject }?.asJsonObject?.let(::vvm), o.opt("expiry")?.let(::date))
}
fun policy(o: JsonObject?) = AllocationPolicy(
    o?.get("min_shelf_life_days")?.asInt?.toUInt() ?: 0u, o?.get("allow_partial")?.asBoolean ?: true,
    o?.get("single_batch")?.asBoolean ?: false, o?.get("opened_packs_first")?.asBoolean ?: false,
    o?.get("short_dated_within_days")?.asInt?.toUInt(), o?.opt("pack_rounding")?.let { enumOf<PackRounding>(it) },
)
fun strings(o: JsonObject, k: String): List<String> = o.get(k)?.takeIf { it.isJsonArray }?.asJsonArray?.map { it.asString } ?: emptyList()
fun allocation(o: JsonObject) = AllocationRequest(o.str("product"), o.str("location"), o.long("qty"), date(o.str("date")), policy(o.getAsJsonObject("policy")), strings(o, "also_from"))
fun dispense(o: JsonObject) = DispenseRequest(o.str("key"), date(o.str("date")), o.opt("reference"), o.str("product"), o.str("location"), o.long("qty"), policy(o.getAsJsonObject("policy")), strings(o, "also_from"))
fun filter(o: JsonObject?) = StockFilter(o?.opt("product"), o?.opt("location"), o?.opt("batch"))

// ---- case JSON → billing records, by reflection over the generated data classes ----------
// The generated constructors take every field; where the Rust type has a serde default, a
// Kotlin caller passes it explicitly, and so does this builder (false, empty list, or below).
val NULLABLE_LISTS = setOf("duplicate_exclusions")
val DEFAULTS: Map<String, JsonElement> = mapOf(
    "mode" to JsonPrimitive("half_up"), "level" to JsonPrimitive("line"), "direction" to JsonPrimitive("nearest"),
    "fiscal_year_start_month" to JsonPrimitive(4), "width" to JsonPrimitive(5), "rounding" to JsonObject(),
    "context" to JsonObject(), "severity" to JsonPrimitive("unknown"), "id" to JsonPrimitive(""),
    "season" to JsonPrimitive(1), "amount_type" to JsonPrimitive("percent"), "base_on" to JsonPrimitive("net"),
    "repartition" to JsonPrimitive("normal"), "rounding_method" to JsonPrimitive("per_line"), "strategy" to JsonPrimitive("add_line"),
    "apply_on" to JsonPrimitive("net_total"), "adjustments" to JsonPrimitive(0), "stockout_days" to JsonPrimitive(0),
    "additional" to JsonPrimitive(0), "months" to JsonPrimitive(1), "periods_averaged" to JsonPrimitive(3),
    "average_rounding" to JsonPrimitive("ceil"), "max_stock_rounding" to JsonPrimitive("half_up"),
    "is_base_affected" to JsonPrimitive(true), "initial" to JsonPrimitive("first"),
)

fun value(type: Type, v: JsonElement?, key: String): Any? {
    val t = if (type is WildcardType) type.upperBounds[0] else type
    val cls = (if (t is ParameterizedType) t.rawType else t) as Class<*>
    if (v == null || v.isJsonNull) {
        // An optional list (`List<String>?`): absent means "the default", not empty.
        if (key in NULLABLE_LISTS) return null
        DEFAULTS[key]?.let { return value(t, it, key) }
        return when {
            cls == java.lang.Boolean.TYPE -> false
            List::class.java.isAssignableFrom(cls) -> emptyList<Any>()
            cls.isPrimitive -> throw CaseInputError("missing $key")
            else -> null
        }
    }
    return when {
        cls == String::class.java -> v.asString
        cls == java.lang.Long.TYPE || cls == java.lang.Long::class.java -> v.asLong
        cls == Integer.TYPE || cls == Integer::class.java -> v.asInt
        // An optional unsigned field (`row: UInt?`) is a boxed kotlin.UInt.
        cls == UInt::class.java -> v.asLong.toUInt()
        cls == java.lang.Boolean.TYPE || cls == java.lang.Boolean::class.java -> v.asBoolean
        cls == java.lang.Double.TYPE || cls == java.lang.Double::class.java -> v.asDouble
        // A sealed class (the forecasting model): the nested variant named by "name".
        cls == Model::class.java -> {
            val name = v.asJsonObject.get("name")?.asString ?: throw CaseInputError("$key: no model name")
            val variant = cls.declaredClasses.firstOrNull { snake(it.simpleName) == name } ?: throw CaseInputError("unknown model $name")
            variant.declaredFields.firstOrNull { it.name == "INSTANCE" }?.get(null)
                ?: make(variant, v.asJsonObject.deepCopy().also { it.remove("name") })
        }
        // Money is a string in the cases; a JSON number cannot be a BigDecimal argument here.
        cls == BigDecimal::class.java -> if (v.isJsonPrimitive && v.asJsonPrimitive.isString) dec(v.asString) else throw CaseInputError("$key: money as a number")
        cls == LocalDate::class.java -> date(v.asString)
        cls.isEnum -> cls.enumConstants.first { (it as Enum<*>).name == v.asString.uppercase() }
        List::class.java.isAssignableFrom(cls) -> v.asJsonArray.map { value((t as ParameterizedType).actualTypeArguments[0], it, key) }
        else -> make(cls, v.asJsonObject)
    }
}

@Suppress("UNCHECKED_CAST")
fun <T> make(cls: Class<T>, o: JsonObject): T {
    val fields = cls.declaredFields.filter { !Modifier.isStatic(it.modifiers) }
    // A record with unsigned fields (kotlin.UInt) has only a synthetic public constructor that
    // takes them as Int and one trailing DefaultConstructorMarker (passed as null).
    val ctor = cls.constructors.firstOrNull { it.parameterCount == fields.size }
        ?: cls.constructors.first { it.parameterCount == fields.size + 1 && it.parameterTypes.last().simpleName == "DefaultConstructorMarker" }
    o.only(*fields.map { snake(it.name) }.toTypedArray())
    // The fields' generic types (a synthetic constructor's parameters have lost theirs).
    val args = fields.map { f -> value(f.genericType, o.get(snake(f.name)), snake(f.name)) }
    val all = if (ctor.parameterCount > fields.size) args + listOf(null) else args
    return ctor.newInstance(*all.toTypedArray()) as T
}

inline fun <reified T> JsonObject.rec(k: String): T = make(T::class.java, getAsJsonObject(k) ?: throw CaseInputError("missing $k"))

fun credits(invoice: PricedInvoice, requests: List<JsonObject>): List<CreditNote> {
    val notes = mutableListOf<CreditNote>()
    for (r in requests) notes.add(creditNote(invoice, make(CreditRequest::class.java, r).also { it.previous = notes.toList() }))
    return notes
}

val BILLING: Map<String, (JsonObject) -> Any?> = mapOf(
    "tax_rules" to { a -> (if (a.str("format") == "toml") Billing.fromToml(a.str("text")) else Billing.fromJson(a.str("text"))).rules() },
    "price_invoice" to { a -> Billing(a.rec<TaxRuleSet>("rules")).priceInvoice(a.rec("invoice")) },
    "compute_taxes" to { a -> computeTaxes(a.rec("request")) },
    "reprice" to { a -> reprice(a.rec("request")) },
    "compute_document" to { a -> computeDocument(a.rec("request")) },
    "price_document" to { a -> Billing(a.rec<TaxRuleSet>("rules")).priceDocument(a.rec("request")) },
    "credit_note" to { a -> credits(Billing(a.rec<TaxRuleSet>("rules")).priceInvoice(a.rec("invoice")), a.list("credits")).last() },
    "settle_payments" to { a -> settlePayments(a.str("currency"), dec(a.str("due")), a.list("tenders").map { make(Tender::class.java, it) }) },
    "amount_in_words" to { a -> mapOf("words" to amountInWords(dec(a.str("amount")), a.str("currency"), enumOf(a.str("style")))) },
    "next_invoice_number" to { a -> nextInvoiceNumber(a.rec("series"), date(a.str("date")), a.opt("last")) },
    "check_invoice_numbers" to { a -> checkInvoiceNumbers(a.rec("series"), a.getAsJsonArray("numbers").map { it.asString }) },
    "daily_summary" to { a ->
        val billing = Billing(a.rec<TaxRuleSet>("rules"))
        val invoices = a.list("invoices").map { billing.priceInvoice(make(InvoiceRequest::class.java, it)) }
        dailySummary(invoices, a.list("credits").flatMap { credits(invoices[it.get("invoice").asInt], listOf(it.getAsJsonObject("request"))) })
    },
)

/// The request is the arguments without the knowledge base they name.
fun request(a: JsonObject): JsonObject = a.deepCopy().also { it.remove("sources"); it.remove("knowledge_base") }

fun engine(a: JsonObject): Interactions = when {
    a.has("sources") -> Interactions.load(a.rec("sources"))
    a.has("knowledge_base") -> Interactions(a.rec<KnowledgeBase>("knowledge_base"))
    else -> Interactions.sample()
}

val INTERACTIONS: Map<String, (JsonObject) -> Any?> = mapOf(
    "screen" to { a -> engine(a).screen(make(ScreenRequest::class.java, request(a))) },
    "check_new" to { a -> engine(a).checkNew(make(CheckRequest::class.java, request(a))) },
    "screen_many" to { a -> engine(a).screenMany(a.list("requests").map { make(ScreenRequest::class.java, it) }) },
    "explain" to { a -> engine(a).explain(a.str("rule")) },
    "resolve" to { a -> engine(a).resolve(a.str("text"), a.get("limit").asInt.toUInt()) },
    "load_knowledge_base" to { a -> engine(a).let { mapOf("stats" to it.stats(), "reports" to it.loadReports()) } },
    "stats" to { a -> engine(a).stats() },
    "edge_list" to { a -> engine(a).edgeList() },
    "adjacency_pair" to { a ->
        val m = engine(a).adjacency()
        val (i, j) = m.drugs.indexOf(a.str("a")) to m.drugs.indexOf(a.str("b"))
        mapOf("ab" to m.weights[i][j], "ba" to m.weights[j][i], "size" to m.drugs.size)
    },
    "memberships" to { a -> engine(a).memberships().filter { it.drug == a.str("drug") } },
    "predict_links" to { a -> engine(a).predictLinks(a.opt("drug"), a.get("limit").asInt.toUInt()) },
)

val FORECASTING: Map<String, (JsonObject) -> Any?> = mapOf(
    "forecast" to { a -> forecast(make(ForecastRequest::class.java, a)) },
    "forecast_long" to { a -> forecastLong(make(LongForecastRequest::class.java, a)) },
    "backtest" to { a -> backtest(make(BacktestRequest::class.java, a)) },
    "classify" to { a -> classify(a.list("series").map { make(Series::class.java, it) }) },
    "suggest_orders" to { a -> suggestOrders(a.list("positions").map { make(StockPosition::class.java, it) }) },
    "average_monthly_consumption" to { a -> averageMonthlyConsumption(a.rec("request")) },
)

val OPS: Map<String, (Ledger, JsonObject) -> Any?> = (BILLING + INTERACTIONS + FORECASTING).mapValues { (_, f) -> { _: Ledger, a: JsonObject -> f(a) } } + mapOf(
    "parse_expiry" to { _, a -> mapOf("date" to parseExpiry(a.str("label"))) },
    "allocate" to { l, a -> l.allocate(allocation(a)) },
    "dispense" to { l, a -> l.dispense(dispense(a)) },
    "post" to { l, a -> l.post(posting(a)) },
    "set_batch_status" to { l, a -> mapOf("seq" to l.setBatchStatus(statusChange(a))) },
    "stock" to { l, a -> l.stock(filter(a)) },
    "stock_totals" to { l, a -> l.stockTotals(filter(a)) },
    "stock_as_of" to { l, a -> l.stockAsOf(date(a.str("date")), filter(a.getAsJsonObject("filter"))) },
    "stock_card" to { l, a -> l.stockCard(filter(a)) },
    "expiry_buckets" to { l, a -> l.expiryBuckets(date(a.str("on")), a.getAsJsonArray("bounds").map { it.asInt.toUInt() }, a.opt("location")) },
    "expired" to { l, a -> l.expired(date(a.str("on")), a.opt("location")) },
    "lot_alerts" to { l, a -> l.lotAlerts(date(a.str("on")), a.opt("since")?.let(::date)) },
    "expiring_within" to { l, a -> l.expiringWithin(date(a.str("on")), a.get("days").asInt.toUInt(), a.opt("location")) },
    "valuation" to { l, a -> l.valuation(a.opt("location")) },
    "cost_layers" to { l, a -> l.costLayers(a.str("product"), a.str("batch"), a.str("location")) },
    "trace_batch" to { l, a -> l.traceBatch(a.str("product"), a.str("batch")) },
    "trace_document" to { l, a -> l.traceDocument(a.str("reference")) },
    "document" to { l, a -> l.document(a.str("reference")) },
    "events_since" to { l, a -> JsonParser.parseString(l.eventsSince(a.get("seq").asLong.toULong())) },
    "available_to_promise" to { l, a -> mapOf("qty" to l.availableToPromise(a.str("product"), a.str("location"), date(a.str("date")), a.get("min_shelf_life_days").asInt.toUInt())) },
    "replay" to { l, _ -> mapOf("digest_equal" to (Ledger.fromEventsJson(l.eventsJson(0UL)).digest() == l.digest())) },
)

fun mapJson(v: Any?): JsonElement = if (v is Map<*, *>) JsonObject().apply { v.forEach { (k, x) -> add(k as String, toJson(x)) } } else toJson(v)

var TOLERANCE = 0.0

fun subset(expected: JsonElement, actual: JsonElement, at: String) {
    when {
        expected.isJsonObject -> {
            if (!actual.isJsonObject) throw AssertionError("$at: expected an object, got $actual")
            for ((k, e) in expected.asJsonObject.entrySet()) {
                val a = actual.asJsonObject.get(k)
                if (a == null || a.isJsonNull) { if (!e.isJsonNull) throw AssertionError("$at.$k: missing, expected $e"); continue }
                subset(e, a, "$at.$k")
            }
        }
        expected.isJsonArray -> {
            val e = expected.asJsonArray
            if (!actual.isJsonArray || actual.asJsonArray.size() != e.size()) throw AssertionError("$at: expected ${e.size()} items, got $actual")
            e.forEachIndexed { i, x -> subset(x, actual.asJsonArray[i], "$at[$i]") }
        }
        expected.isJsonNull -> if (!actual.isJsonNull) throw AssertionError("$at: expected null, got $actual")
        TOLERANCE > 0 && expected.isJsonPrimitive && expected.asJsonPrimitive.isNumber && actual.isJsonPrimitive && actual.asJsonPrimitive.isNumber ->
            if (Math.abs(expected.asDouble - actual.asDouble) > TOLERANCE) throw AssertionError("$at: expected $expected ± $TOLERANCE, got $actual")
        else -> if (expected.asString != actual.asString || expected.isJsonPrimitive && expected.asJsonPrimitive.isBoolean != actual.asJsonPrimitive.isBoolean)
            throw AssertionError("$at: expected $expected, got $actual")
    }
}

fun codeOf(e: ApothecaException) = snake(e.javaClass.simpleName).uppercase()

fun check(op: String, args: JsonObject, ledger: Ledger, expect: JsonElement?, expectError: JsonObject?) {
    val call = OPS[op] ?: throw AssertionError("unknown op $op")
    if (expectError != null) {
        val want = expectError.str("code")
        try {
            call(ledger, args)
            throw AssertionError("expected error $want, got a result")
        } catch (e: ApothecaException) {
            if (codeOf(e) != want) throw AssertionError("expected $want, got ${codeOf(e)}: ${e.message}")
        } catch (e: CaseInputError) {
            // Kotlin's types refuse this input before it reaches the library: that is the check.
            if (want != "MALFORMED_INPUT") throw AssertionError("input not expressible in Kotlin, expected $want: ${e.message}")
        }
    } else {
        subset(expect ?: JsonNull.INSTANCE, mapJson(call(ledger, args)), "$")
    }
}

fun build(setup: JsonObject?): Ledger {
    val l = Ledger()
    if (setup == null) return l
    setup.getAsJsonObject("catalog")?.let { l.loadCatalog(catalog(it)) }
    setup.list("postings").forEach { l.post(posting(it)) }
    setup.list("dispenses").forEach { l.dispense(dispense(it)) }
    setup.list("status_changes").forEach { l.setBatchStatus(statusChange(it)) }
    return l
}

// ---- hostile inputs that a Kotlin caller can still send ------------------------------------
fun hostile(catalog: Catalog): List<Triple<String, (Ledger) -> Any?, String>> {
    val rc = { qty: Long, batch: String, product: String, loc: String, d: LocalDate ->
        Posting("k", d, null, listOf(Line(Movement.Receipt(null), product, batch, loc, qty)))
    }
    val day = LocalDate.of(2026, 11, 20)
    return listOf(
        Triple("qty negative", { l -> l.post(rc(-5, "B", "P", "S1", day)) }, "INVALID_QUANTITY"),
        Triple("qty zero", { l -> l.post(rc(0, "B", "P", "S1", day)) }, "INVALID_QUANTITY"),
        Triple("qty Long.MAX_VALUE", { l -> l.post(rc(Long.MAX_VALUE, "B", "P", "S1", day)) }, "INVALID_QUANTITY"),
        Triple("empty batch id", { l -> l.post(rc(1, "", "P", "S1", day)) }, "MALFORMED_INPUT"),
        Triple("control character in id", { l -> l.post(rc(1, "B\u0000", "P", "S1", day)) }, "MALFORMED_INPUT"),
        Triple("10,000-character id", { l -> l.post(rc(1, "B".repeat(10_000), "P", "S1", day)) }, "MALFORMED_INPUT"),
        Triple("unknown product", { l -> l.post(rc(1, "B", "NOPE", "S1", day)) }, "UNKNOWN_PRODUCT"),
        Triple("unknown location", { l -> l.post(rc(1, "B", "P", "NOWHERE", day)) }, "UNKNOWN_LOCATION"),
        Triple("year 9999", { l -> l.post(rc(1, "B", "P", "S1", LocalDate.of(9999, 1, 1))) }, "INVALID_DATE"),
        Triple("oversell", { l -> l.post(Posting("k", day, null, listOf(Line(Movement.Dispense(null), "P", "B", "S1", 1)))) }, "INSUFFICIENT_STOCK"),
        Triple("negative money", { l -> l.post(Posting("k", day, null, listOf(Line(Movement.Receipt(BigDecimal("-1")), "P", "B", "S1", 1)))) }, "INVALID_INPUT"),
        Triple("no lines", { l -> l.post(Posting("k", day, null, emptyList())) }, "INVALID_INPUT"),
        Triple("events not JSON", { _ -> Ledger.fromEventsJson("{nope") }, "MALFORMED_INPUT"),
        Triple("events deeply nested", { _ -> Ledger.fromEventsJson("[".repeat(100_000)) }, "MALFORMED_INPUT"),
        Triple("bad expiry label", { _ -> parseExpiry("31/31/2031") }, "INVALID_DATE"),
        Triple("bucket bounds unsorted", { l -> l.expiryBuckets(day, listOf(60u, 30u), null) }, "INVALID_INPUT"),
        // The integrity issue's cases that a Kotlin caller can still send.
        Triple("cost of 10^28", { l -> l.post(Posting("k", day, null, listOf(Line(Movement.Receipt(BigDecimal("1e28")), "P", "B", "S1", 10)))) }, "AMOUNT_OUT_OF_RANGE"),
        Triple("cost of 2^96 - 1", { l -> l.post(Posting("k", day, null, listOf(Line(Movement.Receipt(BigDecimal("79228162514264337593543950335")), "P", "B", "S1", 1)))) }, "AMOUNT_OUT_OF_RANGE"),
        Triple("cost beyond a decimal", { l -> l.post(Posting("k", day, null, listOf(Line(Movement.Receipt(BigDecimal("1e100")), "P", "B", "S1", 1)))) }, "MALFORMED_INPUT"),
        Triple("expiry year 12345", { l -> l.registerBatch(Batch("P", "B2", LocalDate.of(12345, 1, 1), null, BigDecimal("1"), BigDecimal("2"), null, BatchStatus.RELEASED)) }, "MALFORMED_INPUT"),
        Triple("expiry year 1", { l -> l.registerBatch(Batch("P", "B2", LocalDate.of(1, 1, 1), null, BigDecimal("1"), BigDecimal("2"), null, BatchStatus.RELEASED)) }, "INVALID_DATE"),
        Triple("MRP above 10^12", { l -> l.registerBatch(Batch("P", "B2", null, null, BigDecimal("1"), BigDecimal("1000000000001"), null, BatchStatus.RELEASED)) }, "AMOUNT_OUT_OF_RANGE"),
        Triple("edited event log", { _ ->
            val o = Ledger().also { it.loadCatalog(catalog) }
            o.post(Posting("r", day, null, listOf(Line(Movement.Receipt(BigDecimal("0.60")), "P", "B", "S1", 10))))
            Ledger.fromEventsJson(o.eventsJson().replace("\"unit_cost\":\"0.60\"", "\"unit_cost\":\"0.01\""))
        }, "CORRUPT_LOG"),
        Triple("log with an unknown field", { l -> Ledger.fromEventsJson(l.eventsJson().replaceFirst("\"seq\":0,", "\"seq\":0,\"extra\":1,")) }, "MALFORMED_INPUT"),
        Triple("log cut short", { l ->
            val head = l.head()
            val json = l.eventsJson()
            Ledger.fromEventsJson(json.substring(0, json.lastIndexOf(",{\"schema\"")) + "]", head)
        }, "CORRUPT_LOG"),
    )
}

/// Restores the 1,000,000-event log `cargo xtask test` writes to target/big-log.json.
fun bigLog(root: File): String {
    val file = File(System.getenv("APOTHECA_BIG_LOG") ?: File(root, "../target/big-log.json").path)
    if (!file.exists()) return "skipped: ${file.path} is missing (`cargo xtask test` writes it)"
    val text = file.readText()
    val (digest, head, count) = File(file.path + ".digest").readText().trim().split(" ")
    val l = Ledger.fromEventsJson(text, head)
    if (l.digest() != digest) return "FAIL: another digest"
    if (l.eventsJson().length != text.length) return "FAIL: exported another length"
    if (!l.eventsJson(count.toULong() - 1u).startsWith("[{\"schema\"")) return "FAIL: eventsJson(start)"
    return "ok"
}

/// A ledger stored in a SQLite file (an app's offline store): writes survive closing the object,
/// a reopened ledger has the same digest, a disconnected one refuses writes with StoreUnavailable.
fun storedLedger(catalog: Catalog): String {
    val dir = java.nio.file.Files.createTempDirectory("apotheca-kotlin").toFile()
    try {
        val url = "sqlite:${File(dir, "ledger.db").path}"
        val line = Line(Movement.Receipt(null), "P", "B", "S1", 30)
        val (digest, count) = Ledger.open(url).use { l ->
            if (!l.isStored()) return "FAIL: not stored"
            l.loadCatalog(catalog)
            l.post(Posting("r1", LocalDate.of(2026, 11, 20), "GRN-1", listOf(line)))
            val snap = l.snapshot()
            Pair(l.digest(), snap)
        }
        val again = Ledger.open(url)
        if (again.digest() != digest) return "FAIL: reopened to another digest"
        if (!again.eventsSince(count - 1u).startsWith("[{\"schema\"")) return "FAIL: eventsSince"
        again.disconnect()
        val refused = try { again.post(Posting("r2", LocalDate.of(2026, 11, 20), null, listOf(line))); "no error" } catch (e: ApothecaException) { codeOf(e) }
        again.close()
        if (refused != "STORE_UNAVAILABLE") return "FAIL: a write after disconnect gave $refused"
        return "ok"
    } finally {
        dir.deleteRecursively()
    }
}

fun main(args: Array<String>) {
    val root = File(args.getOrElse(0) { "../conformance" })
    var passed = 0
    var failed = 0
    val tally = sortedMapOf<String, IntArray>()
    for (dir in root.listFiles()!!.filter { it.isDirectory && it.name != "runners" }.sortedBy { it.name }) {
        for (file in dir.listFiles()!!.filter { it.name.endsWith(".json") }.sortedBy { it.name }) {
            val c = JsonParser.parseString(file.readText()).asJsonObject
            val t = tally.getOrPut(dir.name) { IntArray(2) }
            try {
                TOLERANCE = c.get("tolerance")?.takeIf { !it.isJsonNull }?.asDouble ?: 0.0
                val input = c.getAsJsonObject("input")
                val ledger = build(input.getAsJsonObject("setup"))
                check(c.str("op"), input.getAsJsonObject("args"), ledger, c.get("expect"), c.getAsJsonObject("expect_error"))
                c.list("after").forEachIndexed { i, s ->
                    try { check(s.str("op"), s.getAsJsonObject("args"), ledger, s.get("expect"), s.getAsJsonObject("expect_error")) }
                    catch (e: Throwable) { throw AssertionError("after[$i] ${s.str("op")}: ${e.message}") }
                }
                t[0]++
            } catch (e: Throwable) {
                t[1]++
                println("FAIL ${dir.name}/${c.str("id")}: ${e.javaClass.simpleName}: ${e.message}")
            }
        }
    }
    tally.forEach { (cap, t) -> println("kotlin conformance $cap: ${t[0]} passed, ${t[1]} failed"); passed += t[0]; failed += t[1] }

    val catalog = Catalog(
        listOf(Location("S1", "Store")),
        listOf(Product("P", "Crocin 500", "Paracetamol 500 mg", emptyList(), DosageForm.TABLET, 15, true, Schedule.OTC, "3004", StorageClass.AMBIENT)),
        listOf(Batch("P", "B", LocalDate.of(2027, 12, 31), null, BigDecimal("0.60"), BigDecimal("1.36"), null, BatchStatus.RELEASED)),
    )
    var hp = 0
    var hf = 0
    for ((name, call, code) in hostile(catalog)) {
        val l = Ledger().also { it.loadCatalog(catalog) }
        val before = Pair(l.digest(), l.eventsJson())
        val got = try { call(l); "no error" } catch (e: ApothecaException) { codeOf(e) }
        val unchanged = Pair(l.digest(), l.eventsJson()) == before
        if (got == code && unchanged) hp++ else { hf++; println("FAIL hostile $name: expected $code, got $got${if (unchanged) "" else " (the ledger changed)"}") }
    }
    val stored = storedLedger(catalog)
    if (stored == "ok") hp++ else { hf++; println("FAIL stored ledger: $stored") }
    val restored = bigLog(root)
    if (restored == "ok") hp++ else if (restored.startsWith("skipped")) println("kotlin big log $restored") else { hf++; println("FAIL big log: $restored") }
    // Errors carry their facts as data, and read well: message is the reason, records and data
    // objects print their fields or their name.
    val short = Ledger().also { it.loadCatalog(catalog) }
    val refusal = runCatching {
        short.dispense(DispenseRequest(key = "d", date = LocalDate.of(2026, 11, 20), product = "P",
            location = "S1", qty = 5, policy = AllocationPolicy(allowPartial = false)))
    }.exceptionOrNull()
    val detailed = refusal is ApothecaException.InsufficientStock && refusal.details.product == "P" &&
        refusal.details.requested == 5L && refusal.details.available == 0L &&
        refusal.message == refusal.reason && !refusal.message.orEmpty().contains("details=")
    if (detailed && Model.CrostonSba.toString() == "CrostonSba") hp++ else { hf++; println("FAIL details: got $refusal (${Model.CrostonSba})") }
    // Test builds carry a deliberate panic: it must arrive as ApothecaException.Internal.
    val probe = runCatching { Class.forName("org.apotheca.ApothecaKt").getMethod("panicForTests") }.getOrNull()
    if (probe != null) {
        val cause = runCatching { probe.invoke(null) }.exceptionOrNull()?.cause
        if (cause is ApothecaException.Internal && parseExpiry("06/2027") == LocalDate.of(2027, 6, 30)) hp++ else { hf++; println("FAIL panic: got $cause") }
    }
    println("kotlin hostile: $hp passed, $hf failed")
    passed += hp
    failed += hf
    println("kotlin: $passed passed, $failed failed")
    exitProcess(if (failed == 0) 0 else 1)
}
