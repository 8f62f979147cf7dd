package catalog

// Series the engine derives per member of a MongoDB source, dividing the
// database's work by the API's request series (only the engine sees both
// sources). Like the MongoDB series they follow the source's name.
const (
	DocsExaminedPerRequest = "docs_examined_per_request"
	OpsPerRequest          = "ops_per_request"
)

// Derived is the engine's catalogue of per-request series.
var Derived = List{
	mongo(DocsExaminedPerRequest, "", Ratio, "db.docs_examined over the request series, period by period of the requests: rises with a query regression, flat under more load"),
	mongo(OpsPerRequest, "", Ratio, "db.ops.total over the request series, period by period of the requests"),
}
