<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis maxScale="0" simplifyDrawingTol="1" simplifyDrawingHints="1" symbologyReferenceScale="-1" simplifyLocal="1" simplifyAlgorithm="0" hasScaleBasedVisibilityFlag="0" readOnly="0" minScale="100000000" version="3.22.16-Białowieża" styleCategories="AllStyleCategories" simplifyMaxScale="1" labelsEnabled="0">
  <flags>
    <Identifiable>1</Identifiable>
    <Removable>1</Removable>
    <Searchable>1</Searchable>
    <Private>0</Private>
  </flags>
  <temporal fixedDuration="0" durationUnit="min" limitMode="0" durationField="" startField="" accumulate="0" endField="" startExpression="" mode="0" endExpression="" enabled="0">
    <fixedRange>
      <start></start>
      <end></end>
    </fixedRange>
  </temporal>
  <renderer-v2 forceraster="0" referencescale="-1" type="singleSymbol" enableorderby="0" symbollevels="0">
    <symbols>
      <symbol clip_to_extent="1" type="marker" name="0" alpha="1" force_rhr="0">
        <data_defined_properties>
          <Option type="Map">
            <Option value="" type="QString" name="name"/>
            <Option name="properties"/>
            <Option value="collection" type="QString" name="type"/>
          </Option>
        </data_defined_properties>
        <layer class="SimpleMarker" locked="0" enabled="1" pass="0">
          <Option type="Map">
            <Option value="0" type="QString" name="angle"/>
            <Option value="square" type="QString" name="cap_style"/>
            <Option value="127,127,127,255" type="QString" name="color"/>
            <Option value="1" type="QString" name="horizontal_anchor_point"/>
            <Option value="bevel" type="QString" name="joinstyle"/>
            <Option value="circle" type="QString" name="name"/>
            <Option value="0,0" type="QString" name="offset"/>
            <Option value="3x:0,0,0,0,0,0" type="QString" name="offset_map_unit_scale"/>
            <Option value="MM" type="QString" name="offset_unit"/>
            <Option value="255,255,255,255" type="QString" name="outline_color"/>
            <Option value="solid" type="QString" name="outline_style"/>
            <Option value="0.2" type="QString" name="outline_width"/>
            <Option value="3x:0,0,0,0,0,0" type="QString" name="outline_width_map_unit_scale"/>
            <Option value="MM" type="QString" name="outline_width_unit"/>
            <Option value="diameter" type="QString" name="scale_method"/>
            <Option value="1.6" type="QString" name="size"/>
            <Option value="3x:0,0,0,0,0,0" type="QString" name="size_map_unit_scale"/>
            <Option value="MM" type="QString" name="size_unit"/>
            <Option value="1" type="QString" name="vertical_anchor_point"/>
          </Option>
          <prop k="angle" v="0"/>
          <prop k="cap_style" v="square"/>
          <prop k="color" v="127,127,127,255"/>
          <prop k="horizontal_anchor_point" v="1"/>
          <prop k="joinstyle" v="bevel"/>
          <prop k="name" v="circle"/>
          <prop k="offset" v="0,0"/>
          <prop k="offset_map_unit_scale" v="3x:0,0,0,0,0,0"/>
          <prop k="offset_unit" v="MM"/>
          <prop k="outline_color" v="255,255,255,255"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_width" v="0.2"/>
          <prop k="outline_width_map_unit_scale" v="3x:0,0,0,0,0,0"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="scale_method" v="diameter"/>
          <prop k="size" v="1.6"/>
          <prop k="size_map_unit_scale" v="3x:0,0,0,0,0,0"/>
          <prop k="size_unit" v="MM"/>
          <prop k="vertical_anchor_point" v="1"/>
          <data_defined_properties>
            <Option type="Map">
              <Option value="" type="QString" name="name"/>
              <Option name="properties"/>
              <Option value="collection" type="QString" name="type"/>
            </Option>
          </data_defined_properties>
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
    <field name="mention_id" configurationFlags="None">
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
    <field name="seq" configurationFlags="None">
      <editWidget type="">
        <config>
          <Option/>
        </config>
      </editWidget>
    </field>
    <field name="start" configurationFlags="None">
      <editWidget type="">
        <config>
          <Option/>
        </config>
      </editWidget>
    </field>
    <field name="end" configurationFlags="None">
      <editWidget type="">
        <config>
          <Option/>
        </config>
      </editWidget>
    </field>
    <field name="text" configurationFlags="None">
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
    <field name="place_gid" configurationFlags="None">
      <editWidget type="">
        <config>
          <Option/>
        </config>
      </editWidget>
    </field>
    <field name="kind" configurationFlags="None">
      <editWidget type="">
        <config>
          <Option/>
        </config>
      </editWidget>
    </field>
    <field name="geo_precision" configurationFlags="None">
      <editWidget type="">
        <config>
          <Option/>
        </config>
      </editWidget>
    </field>
    <field name="score" configurationFlags="None">
      <editWidget type="">
        <config>
          <Option/>
        </config>
      </editWidget>
    </field>
    <field name="country" configurationFlags="None">
      <editWidget type="">
        <config>
          <Option/>
        </config>
      </editWidget>
    </field>
    <field name="admin1" configurationFlags="None">
      <editWidget type="">
        <config>
          <Option/>
        </config>
      </editWidget>
    </field>
    <field name="admin1_pcode" configurationFlags="None">
      <editWidget type="">
        <config>
          <Option/>
        </config>
      </editWidget>
    </field>
    <field name="admin2" configurationFlags="None">
      <editWidget type="">
        <config>
          <Option/>
        </config>
      </editWidget>
    </field>
    <field name="admin2_pcode" configurationFlags="None">
      <editWidget type="">
        <config>
          <Option/>
        </config>
      </editWidget>
    </field>
    <field name="lat" configurationFlags="None">
      <editWidget type="">
        <config>
          <Option/>
        </config>
      </editWidget>
    </field>
    <field name="lon" configurationFlags="None">
      <editWidget type="">
        <config>
          <Option/>
        </config>
      </editWidget>
    </field>
    <field name="doc_date" configurationFlags="None">
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
    <alias field="mention_id" name="" index="1"/>
    <alias field="doc_id" name="" index="2"/>
    <alias field="seq" name="" index="3"/>
    <alias field="start" name="" index="4"/>
    <alias field="end" name="" index="5"/>
    <alias field="text" name="" index="6"/>
    <alias field="name" name="" index="7"/>
    <alias field="place_gid" name="" index="8"/>
    <alias field="kind" name="" index="9"/>
    <alias field="geo_precision" name="" index="10"/>
    <alias field="score" name="" index="11"/>
    <alias field="country" name="" index="12"/>
    <alias field="admin1" name="" index="13"/>
    <alias field="admin1_pcode" name="" index="14"/>
    <alias field="admin2" name="" index="15"/>
    <alias field="admin2_pcode" name="" index="16"/>
    <alias field="lat" name="" index="17"/>
    <alias field="lon" name="" index="18"/>
    <alias field="doc_date" name="" index="19"/>
    <alias field="title" name="" index="20"/>
    <alias field="sentence" name="" index="21"/>
    <alias field="reason" name="" index="22"/>
  </aliases>
  <defaults>
    <default field="fid" expression="" applyOnUpdate="0"/>
    <default field="mention_id" expression="" applyOnUpdate="0"/>
    <default field="doc_id" expression="" applyOnUpdate="0"/>
    <default field="seq" expression="" applyOnUpdate="0"/>
    <default field="start" expression="" applyOnUpdate="0"/>
    <default field="end" expression="" applyOnUpdate="0"/>
    <default field="text" expression="" applyOnUpdate="0"/>
    <default field="name" expression="" applyOnUpdate="0"/>
    <default field="place_gid" expression="" applyOnUpdate="0"/>
    <default field="kind" expression="" applyOnUpdate="0"/>
    <default field="geo_precision" expression="" applyOnUpdate="0"/>
    <default field="score" expression="" applyOnUpdate="0"/>
    <default field="country" expression="" applyOnUpdate="0"/>
    <default field="admin1" expression="" applyOnUpdate="0"/>
    <default field="admin1_pcode" expression="" applyOnUpdate="0"/>
    <default field="admin2" expression="" applyOnUpdate="0"/>
    <default field="admin2_pcode" expression="" applyOnUpdate="0"/>
    <default field="lat" expression="" applyOnUpdate="0"/>
    <default field="lon" expression="" applyOnUpdate="0"/>
    <default field="doc_date" expression="" applyOnUpdate="0"/>
    <default field="title" expression="" applyOnUpdate="0"/>
    <default field="sentence" expression="" applyOnUpdate="0"/>
    <default field="reason" expression="" applyOnUpdate="0"/>
  </defaults>
  <constraints>
    <constraint field="fid" constraints="3" notnull_strength="1" unique_strength="1" exp_strength="0"/>
    <constraint field="mention_id" constraints="0" notnull_strength="0" unique_strength="0" exp_strength="0"/>
    <constraint field="doc_id" constraints="0" notnull_strength="0" unique_strength="0" exp_strength="0"/>
    <constraint field="seq" constraints="0" notnull_strength="0" unique_strength="0" exp_strength="0"/>
    <constraint field="start" constraints="0" notnull_strength="0" unique_strength="0" exp_strength="0"/>
    <constraint field="end" constraints="0" notnull_strength="0" unique_strength="0" exp_strength="0"/>
    <constraint field="text" constraints="0" notnull_strength="0" unique_strength="0" exp_strength="0"/>
    <constraint field="name" constraints="0" notnull_strength="0" unique_strength="0" exp_strength="0"/>
    <constraint field="place_gid" constraints="0" notnull_strength="0" unique_strength="0" exp_strength="0"/>
    <constraint field="kind" constraints="0" notnull_strength="0" unique_strength="0" exp_strength="0"/>
    <constraint field="geo_precision" constraints="0" notnull_strength="0" unique_strength="0" exp_strength="0"/>
    <constraint field="score" constraints="0" notnull_strength="0" unique_strength="0" exp_strength="0"/>
    <constraint field="country" constraints="0" notnull_strength="0" unique_strength="0" exp_strength="0"/>
    <constraint field="admin1" constraints="0" notnull_strength="0" unique_strength="0" exp_strength="0"/>
    <constraint field="admin1_pcode" constraints="0" notnull_strength="0" unique_strength="0" exp_strength="0"/>
    <constraint field="admin2" constraints="0" notnull_strength="0" unique_strength="0" exp_strength="0"/>
    <constraint field="admin2_pcode" constraints="0" notnull_strength="0" unique_strength="0" exp_strength="0"/>
    <constraint field="lat" constraints="0" notnull_strength="0" unique_strength="0" exp_strength="0"/>
    <constraint field="lon" constraints="0" notnull_strength="0" unique_strength="0" exp_strength="0"/>
    <constraint field="doc_date" constraints="0" notnull_strength="0" unique_strength="0" exp_strength="0"/>
    <constraint field="title" constraints="0" notnull_strength="0" unique_strength="0" exp_strength="0"/>
    <constraint field="sentence" constraints="0" notnull_strength="0" unique_strength="0" exp_strength="0"/>
    <constraint field="reason" constraints="0" notnull_strength="0" unique_strength="0" exp_strength="0"/>
  </constraints>
  <constraintExpressions>
    <constraint field="fid" desc="" exp=""/>
    <constraint field="mention_id" desc="" exp=""/>
    <constraint field="doc_id" desc="" exp=""/>
    <constraint field="seq" desc="" exp=""/>
    <constraint field="start" desc="" exp=""/>
    <constraint field="end" desc="" exp=""/>
    <constraint field="text" desc="" exp=""/>
    <constraint field="name" desc="" exp=""/>
    <constraint field="place_gid" desc="" exp=""/>
    <constraint field="kind" desc="" exp=""/>
    <constraint field="geo_precision" desc="" exp=""/>
    <constraint field="score" desc="" exp=""/>
    <constraint field="country" desc="" exp=""/>
    <constraint field="admin1" desc="" exp=""/>
    <constraint field="admin1_pcode" desc="" exp=""/>
    <constraint field="admin2" desc="" exp=""/>
    <constraint field="admin2_pcode" desc="" exp=""/>
    <constraint field="lat" desc="" exp=""/>
    <constraint field="lon" desc="" exp=""/>
    <constraint field="doc_date" desc="" exp=""/>
    <constraint field="title" desc="" exp=""/>
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
  <layerGeometryType>0</layerGeometryType>
</qgis>
