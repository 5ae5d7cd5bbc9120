<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis maxScale="0" simplifyDrawingTol="1" simplifyDrawingHints="1" symbologyReferenceScale="-1" simplifyLocal="1" simplifyAlgorithm="0" hasScaleBasedVisibilityFlag="0" readOnly="0" minScale="100000000" version="3.22.16-Białowieża" styleCategories="AllStyleCategories" simplifyMaxScale="1" labelsEnabled="0">
  <flags>
    <Identifiable>1</Identifiable>
    <Removable>1</Removable>
    <Searchable>1</Searchable>
    <Private>0</Private>
  </flags>
  <temporal fixedDuration="1" durationUnit="d" limitMode="0" durationField="" startField="event_date" accumulate="0" endField="" startExpression="" mode="1" endExpression="" enabled="1">
    <fixedRange>
      <start></start>
      <end></end>
    </fixedRange>
  </temporal>
  <renderer-v2 forceraster="0" referencescale="-1" type="singleSymbol" enableorderby="0" symbollevels="0">
    <symbols>
      <symbol clip_to_extent="1" type="line" name="0" alpha="1" force_rhr="0">
        <data_defined_properties>
          <Option type="Map">
            <Option value="" type="QString" name="name"/>
            <Option name="properties"/>
            <Option value="collection" type="QString" name="type"/>
          </Option>
        </data_defined_properties>
        <layer class="ArrowLine" locked="0" enabled="1" pass="0">
          <Option type="Map">
            <Option value="1" type="QString" name="arrow_start_width"/>
            <Option value="MM" type="QString" name="arrow_start_width_unit"/>
            <Option value="3x:0,0,0,0,0,0" type="QString" name="arrow_start_width_unit_scale"/>
            <Option value="0" type="QString" name="arrow_type"/>
            <Option value="1" type="QString" name="arrow_width"/>
            <Option value="MM" type="QString" name="arrow_width_unit"/>
            <Option value="3x:0,0,0,0,0,0" type="QString" name="arrow_width_unit_scale"/>
            <Option value="1.5" type="QString" name="head_length"/>
            <Option value="MM" type="QString" name="head_length_unit"/>
            <Option value="3x:0,0,0,0,0,0" type="QString" name="head_length_unit_scale"/>
            <Option value="1.5" type="QString" name="head_thickness"/>
            <Option value="MM" type="QString" name="head_thickness_unit"/>
            <Option value="3x:0,0,0,0,0,0" type="QString" name="head_thickness_unit_scale"/>
            <Option value="0" type="QString" name="head_type"/>
            <Option value="1" type="QString" name="is_curved"/>
            <Option value="0" type="QString" name="is_repeated"/>
            <Option value="0" type="QString" name="offset"/>
            <Option value="MM" type="QString" name="offset_unit"/>
            <Option value="3x:0,0,0,0,0,0" type="QString" name="offset_unit_scale"/>
            <Option value="0" type="QString" name="ring_filter"/>
          </Option>
          <prop k="arrow_start_width" v="1"/>
          <prop k="arrow_start_width_unit" v="MM"/>
          <prop k="arrow_start_width_unit_scale" v="3x:0,0,0,0,0,0"/>
          <prop k="arrow_type" v="0"/>
          <prop k="arrow_width" v="1"/>
          <prop k="arrow_width_unit" v="MM"/>
          <prop k="arrow_width_unit_scale" v="3x:0,0,0,0,0,0"/>
          <prop k="head_length" v="1.5"/>
          <prop k="head_length_unit" v="MM"/>
          <prop k="head_length_unit_scale" v="3x:0,0,0,0,0,0"/>
          <prop k="head_thickness" v="1.5"/>
          <prop k="head_thickness_unit" v="MM"/>
          <prop k="head_thickness_unit_scale" v="3x:0,0,0,0,0,0"/>
          <prop k="head_type" v="0"/>
          <prop k="is_curved" v="1"/>
          <prop k="is_repeated" v="0"/>
          <prop k="offset" v="0"/>
          <prop k="offset_unit" v="MM"/>
          <prop k="offset_unit_scale" v="3x:0,0,0,0,0,0"/>
          <prop k="ring_filter" v="0"/>
          <data_defined_properties>
            <Option type="Map">
              <Option value="" type="QString" name="name"/>
              <Option type="Map" name="properties">
                <Option type="Map" name="arrowHeadLength">
                  <Option value="true" type="bool" name="active"/>
                  <Option value="2.5 + coalesce(scale_linear(&quot;weight&quot;, 0, 20000, 0.6, 5), 0.6)" type="QString" name="expression"/>
                  <Option value="3" type="int" name="type"/>
                </Option>
                <Option type="Map" name="arrowHeadThickness">
                  <Option value="true" type="bool" name="active"/>
                  <Option value="1.5 + coalesce(scale_linear(&quot;weight&quot;, 0, 20000, 0.6, 5), 0.6)" type="QString" name="expression"/>
                  <Option value="3" type="int" name="type"/>
                </Option>
                <Option type="Map" name="arrowStartWidth">
                  <Option value="true" type="bool" name="active"/>
                  <Option value="coalesce(scale_linear(&quot;weight&quot;, 0, 20000, 0.6, 5), 0.6)" type="QString" name="expression"/>
                  <Option value="3" type="int" name="type"/>
                </Option>
                <Option type="Map" name="arrowWidth">
                  <Option value="true" type="bool" name="active"/>
                  <Option value="coalesce(scale_linear(&quot;weight&quot;, 0, 20000, 0.6, 5), 0.6)" type="QString" name="expression"/>
                  <Option value="3" type="int" name="type"/>
                </Option>
              </Option>
              <Option value="collection" type="QString" name="type"/>
            </Option>
          </data_defined_properties>
          <symbol clip_to_extent="1" type="fill" name="@0@0" alpha="1" force_rhr="0">
            <data_defined_properties>
              <Option type="Map">
                <Option value="" type="QString" name="name"/>
                <Option name="properties"/>
                <Option value="collection" type="QString" name="type"/>
              </Option>
            </data_defined_properties>
            <layer class="SimpleFill" locked="0" enabled="1" pass="0">
              <Option type="Map">
                <Option value="3x:0,0,0,0,0,0" type="QString" name="border_width_map_unit_scale"/>
                <Option value="0,114,178,170" type="QString" name="color"/>
                <Option value="bevel" type="QString" name="joinstyle"/>
                <Option value="0,0" type="QString" name="offset"/>
                <Option value="3x:0,0,0,0,0,0" type="QString" name="offset_map_unit_scale"/>
                <Option value="MM" type="QString" name="offset_unit"/>
                <Option value="35,35,35,255" type="QString" name="outline_color"/>
                <Option value="solid" type="QString" name="outline_style"/>
                <Option value="0.26" type="QString" name="outline_width"/>
                <Option value="MM" type="QString" name="outline_width_unit"/>
                <Option value="solid" type="QString" name="style"/>
              </Option>
              <prop k="border_width_map_unit_scale" v="3x:0,0,0,0,0,0"/>
              <prop k="color" v="0,114,178,170"/>
              <prop k="joinstyle" v="bevel"/>
              <prop k="offset" v="0,0"/>
              <prop k="offset_map_unit_scale" v="3x:0,0,0,0,0,0"/>
              <prop k="offset_unit" v="MM"/>
              <prop k="outline_color" v="35,35,35,255"/>
              <prop k="outline_style" v="solid"/>
              <prop k="outline_width" v="0.26"/>
              <prop k="outline_width_unit" v="MM"/>
              <prop k="style" v="solid"/>
              <data_defined_properties>
                <Option type="Map">
                  <Option value="" type="QString" name="name"/>
                  <Option name="properties"/>
                  <Option value="collection" type="QString" name="type"/>
                </Option>
              </data_defined_properties>
            </layer>
          </symbol>
        </layer>
      </symbol>
    </symbols>
    <rotation/>
    <sizescale/>
  </renderer-v2>
  <customproperties>
    <Option/>
  </customproperties>
  <blendMode>0</blendMode>
  <featureBlendMode>0</featureBlendMode>
  <layerOpacity>1</layerOpacity>
  <geometryOptions geometryPrecision="0" removeDuplicateNodes="0">
    <activeChecks type="StringList">
      <Option value="" type="QString"/>
    </activeChecks>
    <checkConfiguration/>
  </geometryOptions>
  <legend showLabelLegend="0" type="default-vector"/>
  <referencedLayers/>
  <fieldConfiguration>
    <field name="fid" configurationFlags="None">
      <editWidget type="">
        <config>
          <Option/>
        </config>
      </editWidget>
    </field>
    <field name="event_id" configurationFlags="None">
      <editWidget type="">
        <config>
          <Option/>
        </config>
      </editWidget>
    </field>
    <field name="event_date" configurationFlags="None">
      <editWidget type="">
        <config>
          <Option/>
        </config>
      </editWidget>
    </field>
    <field name="time_precision" configurationFlags="None">
      <editWidget type="">
        <config>
          <Option/>
        </config>
      </editWidget>
    </field>
    <field name="type" configurationFlags="None">
      <editWidget type="">
        <config>
          <Option/>
        </config>
      </editWidget>
    </field>
    <field name="status" configurationFlags="None">
      <editWidget type="">
        <config>
          <Option/>
        </config>
      </editWidget>
    </field>
    <field name="name" configurationFlags="None">
      <editWidget type="">
        <config>
          <Option/>
        </config>
      </editWidget>
    </field>
    <field name="origin" configurationFlags="None">
      <editWidget type="">
        <config>
          <Option/>
        </config>
      </editWidget>
    </field>
    <field name="destination" configurationFlags="None">
      <editWidget type="">
        <config>
          <Option/>
        </config>
      </editWidget>
    </field>
    <field name="origin_lat" configurationFlags="None">
      <editWidget type="">
        <config>
          <Option/>
        </config>
      </editWidget>
    </field>
    <field name="origin_lon" configurationFlags="None">
      <editWidget type="">
        <config>
          <Option/>
        </config>
      </editWidget>
    </field>
    <field name="dest_lat" configurationFlags="None">
      <editWidget type="">
        <config>
          <Option/>
        </config>
      </editWidget>
    </field>
    <field name="dest_lon" configurationFlags="None">
      <editWidget type="">
        <config>
          <Option/>
        </config>
      </editWidget>
    </field>
    <field name="people" configurationFlags="None">
      <editWidget type="">
        <config>
          <Option/>
        </config>
      </editWidget>
    </field>
    <field name="weight" configurationFlags="None">
      <editWidget type="">
        <config>
          <Option/>
        </config>
      </editWidget>
    </field>
    <field name="actors" configurationFlags="None">
      <editWidget type="">
        <config>
          <Option/>
        </config>
      </editWidget>
    </field>
    <field name="doc_id" configurationFlags="None">
      <editWidget type="">
        <config>
          <Option/>
        </config>
      </editWidget>
    </field>
    <field name="title" configurationFlags="None">
      <editWidget type="">
        <config>
          <Option/>
        </config>
      </editWidget>
    </field>
    <field name="url" configurationFlags="None">
      <editWidget type="">
        <config>
          <Option/>
        </config>
      </editWidget>
    </field>
    <field name="source" configurationFlags="None">
      <editWidget type="">
        <config>
          <Option/>
        </config>
      </editWidget>
    </field>
    <field name="sentence" configurationFlags="None">
      <editWidget type="">
        <config>
          <Option/>
        </config>
      </editWidget>
    </field>
    <field name="reason" configurationFlags="None">
      <editWidget type="">
        <config>
          <Option/>
        </config>
      </editWidget>
    </field>
  </fieldConfiguration>
  <aliases>
    <alias field="fid" name="" index="0"/>
    <alias field="event_id" name="" index="1"/>
    <alias field="event_date" name="" index="2"/>
    <alias field="time_precision" name="" index="3"/>
    <alias field="type" name="" index="4"/>
    <alias field="status" name="" index="5"/>
    <alias field="name" name="" index="6"/>
    <alias field="origin" name="" index="7"/>
    <alias field="destination" name="" index="8"/>
    <alias field="origin_lat" name="" index="9"/>
    <alias field="origin_lon" name="" index="10"/>
    <alias field="dest_lat" name="" index="11"/>
    <alias field="dest_lon" name="" index="12"/>
    <alias field="people" name="" index="13"/>
    <alias field="weight" name="" index="14"/>
    <alias field="actors" name="" index="15"/>
    <alias field="doc_id" name="" index="16"/>
    <alias field="title" name="" index="17"/>
    <alias field="url" name="" index="18"/>
    <alias field="source" name="" index="19"/>
    <alias field="sentence" name="" index="20"/>
    <alias field="reason" name="" index="21"/>
  </aliases>
  <defaults>
    <default field="fid" expression="" applyOnUpdate="0"/>
    <default field="event_id" expression="" applyOnUpdate="0"/>
    <default field="event_date" expression="" applyOnUpdate="0"/>
    <default field="time_precision" expression="" applyOnUpdate="0"/>
    <default field="type" expression="" applyOnUpdate="0"/>
    <default field="status" expression="" applyOnUpdate="0"/>
    <default field="name" expression="" applyOnUpdate="0"/>
    <default field="origin" expression="" applyOnUpdate="0"/>
    <default field="destination" expression="" applyOnUpdate="0"/>
    <default field="origin_lat" expression="" applyOnUpdate="0"/>
    <default field="origin_lon" expression="" applyOnUpdate="0"/>
    <default field="dest_lat" expression="" applyOnUpdate="0"/>
    <default field="dest_lon" expression="" applyOnUpdate="0"/>
    <default field="people" expression="" applyOnUpdate="0"/>
    <default field="weight" expression="" applyOnUpdate="0"/>
    <default field="actors" expression="" applyOnUpdate="0"/>
    <default field="doc_id" expression="" applyOnUpdate="0"/>
    <default field="title" expression="" applyOnUpdate="0"/>
    <default field="url" expression="" applyOnUpdate="0"/>
    <default field="source" expression="" applyOnUpdate="0"/>
    <default field="sentence" expression="" applyOnUpdate="0"/>
    <default field="reason" expression="" applyOnUpdate="0"/>
  </defaults>
  <constraints>
    <constraint field="fid" constraints="3" notnull_strength="1" unique_strength="1" exp_strength="0"/>
    <constraint field="event_id" constraints="0" notnull_strength="0" unique_strength="0" exp_strength="0"/>
    <constraint field="event_date" constraints="0" notnull_strength="0" unique_strength="0" exp_strength="0"/>
    <constraint field="time_precision" constraints="0" notnull_strength="0" unique_strength="0" exp_strength="0"/>
    <constraint field="type" constraints="0" notnull_strength="0" unique_strength="0" exp_strength="0"/>
    <constraint field="status" constraints="0" notnull_strength="0" unique_strength="0" exp_strength="0"/>
    <constraint field="name" constraints="0" notnull_strength="0" unique_strength="0" exp_strength="0"/>
    <constraint field="origin" constraints="0" notnull_strength="0" unique_strength="0" exp_strength="0"/>
    <constraint field="destination" constraints="0" notnull_strength="0" unique_strength="0" exp_strength="0"/>
    <constraint field="origin_lat" constraints="0" notnull_strength="0" unique_strength="0" exp_strength="0"/>
    <constraint field="origin_lon" constraints="0" notnull_strength="0" unique_strength="0" exp_strength="0"/>
    <constraint field="dest_lat" constraints="0" notnull_strength="0" unique_strength="0" exp_strength="0"/>
    <constraint field="dest_lon" constraints="0" notnull_strength="0" unique_strength="0" exp_strength="0"/>
    <constraint field="people" constraints="0" notnull_strength="0" unique_strength="0" exp_strength="0"/>
    <constraint field="weight" constraints="0" notnull_strength="0" unique_strength="0" exp_strength="0"/>
    <constraint field="actors" constraints="0" notnull_strength="0" unique_strength="0" exp_strength="0"/>
    <constraint field="doc_id" constraints="0" notnull_strength="0" unique_strength="0" exp_strength="0"/>
    <constraint field="title" constraints="0" notnull_strength="0" unique_strength="0" exp_strength="0"/>
    <constraint field="url" constraints="0" notnull_strength="0" unique_strength="0" exp_strength="0"/>
    <constraint field="source" constraints="0" notnull_strength="0" unique_strength="0" exp_strength="0"/>
    <constraint field="sentence" constraints="0" notnull_strength="0" unique_strength="0" exp_strength="0"/>
    <constraint field="reason" constraints="0" notnull_strength="0" unique_strength="0" exp_strength="0"/>
  </constraints>
  <constraintExpressions>
    <constraint field="fid" desc="" exp=""/>
    <constraint field="event_id" desc="" exp=""/>
    <constraint field="event_date" desc="" exp=""/>
    <constraint field="time_precision" desc="" exp=""/>
    <constraint field="type" desc="" exp=""/>
    <constraint field="status" desc="" exp=""/>
    <constraint field="name" desc="" exp=""/>
    <constraint field="origin" desc="" exp=""/>
    <constraint field="destination" desc="" exp=""/>
    <constraint field="origin_lat" desc="" exp=""/>
    <constraint field="origin_lon" desc="" exp=""/>
    <constraint field="dest_lat" desc="" exp=""/>
    <constraint field="dest_lon" desc="" exp=""/>
    <constraint field="people" desc="" exp=""/>
    <constraint field="weight" desc="" exp=""/>
    <constraint field="actors" desc="" exp=""/>
    <constraint field="doc_id" desc="" exp=""/>
    <constraint field="title" desc="" exp=""/>
    <constraint field="url" desc="" exp=""/>
    <constraint field="source" desc="" exp=""/>
    <constraint field="sentence" desc="" exp=""/>
    <constraint field="reason" desc="" exp=""/>
  </constraintExpressions>
  <expressionfields/>
  <attributeactions/>
  <attributetableconfig sortOrder="0" actionWidgetStyle="dropDown" sortExpression="">
    <columns/>
  </attributetableconfig>
  <conditionalstyles>
    <rowstyles/>
    <fieldstyles/>
  </conditionalstyles>
  <storedexpressions/>
  <editform tolerant="1"></editform>
  <editforminit/>
  <editforminitcodesource>0</editforminitcodesource>
  <editforminitfilepath></editforminitfilepath>
  <editforminitcode><![CDATA[]]></editforminitcode>
  <featformsuppress>0</featformsuppress>
  <editorlayout>generatedlayout</editorlayout>
  <editable/>
  <labelOnTop/>
  <reuseLastValue/>
  <dataDefinedFieldProperties/>
  <widgets/>
  <previewExpression></previewExpression>
  <mapTip></mapTip>
  <layerGeometryType>1</layerGeometryType>
</qgis>
